package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"newsdesk/events"
)

// runStreams is `newsdesk streams apply|show`: the explicit setup of the
// shared article, alert and dead-letter streams, and a look at them.
func runStreams(ctx context.Context, args []string, stdio IO) error {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "usage: newsdesk streams apply [--allow-shrink] [--dry-run] [flags]")
		fmt.Fprintln(w, "       newsdesk streams show [flags]")
	}
	if len(args) == 0 {
		usage(stdio.Stderr)
		return reported(exitUsage)
	}
	switch args[0] {
	case "apply":
		return as("streams apply", runStreamsApply(ctx, args[1:], stdio))
	case "show":
		return as("streams show", runStreamsShow(ctx, args[1:], stdio))
	case "-h", "--help", "help":
		usage(stdio.Stdout)
		return nil
	}
	var help strings.Builder
	usage(&help)
	return withHint(usagef("unknown subcommand %q", args[0]), help.String())
}

// runStreamsApply creates the missing streams and updates existing ones to
// the config; it prints one line per stream.
func runStreamsApply(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("streams apply", stdio)
	allowShrink := fs.Bool("allow-shrink", false, "also apply changes that lower replicas, max_age or max_bytes or change the storage (stored events may be dropped)")
	dryRun := fs.Bool("dry-run", false, "print what would change and change nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		return usageError(err)
	}
	bus, err := connectNATS(ctx, cfg, logger, "streams", false)
	if err != nil {
		return err
	}
	defer bus.Close()
	changes, err := applyStreams(ctx, bus.Bus, events.ApplyOptions{AllowShrink: *allowShrink, DryRun: *dryRun})
	prefix := ""
	if *dryRun || errors.Is(err, events.ErrShrink) {
		prefix = "would change: "
	}
	for _, c := range changes {
		if c.Changed() {
			fmt.Fprintln(stdio.Stdout, prefix+c.String())
		} else {
			fmt.Fprintln(stdio.Stdout, c.String())
		}
	}
	if err != nil {
		return err
	}
	if *dryRun {
		fmt.Fprintln(stdio.Stdout, "dry run: nothing was changed")
	}
	return nil
}

// runStreamsShow prints each stream's current settings, changing nothing.
func runStreamsShow(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("streams show", stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		return usageError(err)
	}
	bus, err := connectNATS(ctx, cfg, logger, "streams", false)
	if err != nil {
		return err
	}
	defer bus.Close()
	cfgs, err := bus.StreamConfigs(ctx)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(cfgs))
	for name := range cfgs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if c := cfgs[name]; c != nil {
			fmt.Fprintf(stdio.Stdout, "stream %s: %s\n", name, events.DescribeStream(*c))
		} else {
			fmt.Fprintf(stdio.Stdout, "stream %s: missing (create it with `newsdesk streams apply`)\n", name)
		}
	}
	return nil
}
