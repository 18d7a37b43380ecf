// Command layoutcheck enforces the import rules of DESIGN.md, so the layout
// cannot rot: the domain package news and the pure algorithms (syndication)
// import only the standard library, no stage imports another stage, the
// index backends import nothing of each other, and shared internal code
// imports no stage.
// It reads `go list` output and exits 1 naming every broken import.
//
//	go run ./internal/layoutcheck
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

const module = "newsdesk"

// stages are the pipeline packages that must not import each other.
var stages = []string{"config", "crawler", "parser", "indexer", "events", "api", "alert"}

// pure are the packages that, like news, import only the standard library:
// algorithms any stage may use without pulling in another's dependencies.
var pure = []string{"news", "syndication"}

// backends are the index backends: each only stores and queries, so one
// never builds on the other (the shared logic lives in indexer).
var backends = []string{"indexer/elastic", "indexer/embedded"}

func main() {
	out, err := exec.Command("go", "list", "-f",
		`{{.ImportPath}}|{{join .Imports " "}}|{{join .TestImports " "}}|{{join .XTestImports " "}}`,
		"./...").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "layoutcheck: listing packages:", err)
		os.Exit(1)
	}
	var problems []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "|")
		pkg := parts[0]
		for _, field := range parts[1:] {
			for _, imp := range strings.Fields(field) {
				if msg := Check(pkg, imp); msg != "" {
					problems = append(problems, msg)
				}
			}
		}
	}
	if len(problems) > 0 {
		fmt.Fprintln(os.Stderr, "layoutcheck: imports that break the layout rules (DESIGN.md):")
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  "+p)
		}
		os.Exit(1)
	}
}

// Check returns a message when package pkg may not import imp, or "".
// Test files obey the same rules: a test that reaches into another stage
// couples the two all the same.
func Check(pkg, imp string) string {
	self := stageOf(pkg)
	switch {
	case within(pkg, pure...) != "":
		if !isStdlib(imp) {
			return fmt.Sprintf("%s imports %s: the domain package and pure algorithms import only the standard library", pkg, imp)
		}
	case within(pkg, backends...) != "" && within(imp, backends...) != "" && within(imp, backends...) != within(pkg, backends...):
		return fmt.Sprintf("%s imports backend %s: index backends import nothing of each other; share code in indexer", pkg, imp)
	case strings.HasPrefix(pkg, module+"/internal/"):
		if s := stageOf(imp); s != "" {
			return fmt.Sprintf("%s imports stage %s: internal code serves the stages, never the other way round", pkg, imp)
		}
	case self != "":
		other := stageOf(imp)
		if other != "" && other != self {
			return fmt.Sprintf("%s imports stage %s: stages talk through interfaces they own; wire them in cmd/", pkg, imp)
		}
	}
	return ""
}

// within returns the one of dirs (paths below the module) that pkg is or is
// inside, or "".
func within(pkg string, dirs ...string) string {
	for _, d := range dirs {
		if p := module + "/" + d; pkg == p || strings.HasPrefix(pkg, p+"/") {
			return d
		}
	}
	return ""
}

// stageOf names the stage a package belongs to, or "" for others.
func stageOf(pkg string) string {
	rest, ok := strings.CutPrefix(pkg, module+"/")
	if !ok {
		return ""
	}
	top, _, _ := strings.Cut(rest, "/")
	for _, s := range stages {
		if top == s {
			return s
		}
	}
	return ""
}

// isStdlib reports whether an import path is from the standard library: its
// first element has no dot and it is not this module.
func isStdlib(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".") && first != module
}
