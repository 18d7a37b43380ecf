package main

import (
	"strings"
	"testing"
)

// Every command's --help is help, not an error: on stdout, with a synopsis
// line, and exit 0, so `newsdesk crawl --help | less` works.
func TestHelpGoesToStdoutAndExitsZeroEverywhere(t *testing.T) {
	var cmds [][]string
	for _, c := range commands() {
		cmds = append(cmds, []string{c.name})
	}
	cmds = append(cmds, []string{"streams", "apply"}, []string{"streams", "show"}, []string{"dlq", "list"}, []string{"dlq", "replay"})
	for _, cmd := range cmds {
		for _, h := range []string{"--help", "-h"} {
			name := strings.Join(cmd, " ")
			code, stdout, stderr := runMain(t, "", append(cmd, h)...)
			if code != exitOK {
				t.Errorf("newsdesk %s %s: exit %d, want 0 (stderr %q)", name, h, code, stderr)
			}
			if stderr != "" {
				t.Errorf("newsdesk %s %s wrote to stderr: %q", name, h, stderr)
			}
			if !strings.HasPrefix(stdout, "usage: newsdesk "+cmd[0]) {
				t.Errorf("newsdesk %s %s: stdout %q, want a synopsis line first", name, h, firstLine(stdout))
			}
		}
	}
	code, stdout, _ := runMain(t, "", "--help")
	if code != exitOK || !strings.Contains(stdout, "healthcheck") {
		t.Errorf("newsdesk --help: exit %d, stdout %q; want the command list on stdout", code, firstLine(stdout))
	}
}

// A bad flag is still an error: on stderr, with the usage, exit 2.
func TestBadFlagIsAUsageErrorOnStderr(t *testing.T) {
	code, stdout, stderr := runMain(t, "", "crawl", "--no-such-flag")
	if code != exitUsage || stdout != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing on stdout", code, stdout)
	}
	if !strings.Contains(stderr, "no-such-flag") || !strings.Contains(stderr, "usage: newsdesk crawl") {
		t.Errorf("stderr %q, want the error and the usage", stderr)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
