package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// buildInfo is what `newsdesk version` prints: read from the binary's
// embedded build information, so it is right for `go install` and `go
// build` alike without ldflags.
type buildInfo struct {
	Version   string `json:"version"`    // module version, "(devel)" for a local build
	Commit    string `json:"commit"`     // vcs.revision, empty outside a git checkout
	Modified  bool   `json:"modified"`   // the checkout had uncommitted changes
	BuildDate string `json:"build_date"` // vcs.time: the time of the commit built
	Go        string `json:"go"`
	Platform  string `json:"platform"`
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: "unknown", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.time":
			b.BuildDate = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// runVersion is `newsdesk version [--json]`.
func runVersion(_ context.Context, args []string, stdio IO) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	bindHelp(fs, stdio)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	b := readBuildInfo()
	if *asJSON {
		enc := json.NewEncoder(stdio.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(b); err != nil {
			return err
		}
		return nil
	}
	commit := b.Commit
	if commit == "" {
		commit = "unknown"
	} else if b.Modified {
		commit += " (modified)"
	}
	date := b.BuildDate
	if date == "" {
		date = "unknown"
	}
	fmt.Fprintf(stdio.Stdout, "newsdesk %s\ncommit %s\ncommit date %s\n%s %s\n", b.Version, commit, date, b.Go, b.Platform)
	return nil
}
