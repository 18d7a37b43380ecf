// Command layoutcheck enforces the import rules of DESIGN.md, so the layout
// cannot rot: the domain package news imports only the standard library, no
// stage imports another stage, and shared internal code imports no stage.
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
	case pkg == module+"/news" || strings.HasPrefix(pkg, module+"/news/"):
		if !isStdlib(imp) {
			return fmt.Sprintf("%s imports %s: the domain package imports only the standard library", pkg, imp)
		}
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
