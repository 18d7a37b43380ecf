package main

import (
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/indexer/embedded"
)

// TestServeNextToARunningProcessExitsNamingTheIndex checks that `newsdesk
// serve` on an embedded index another process holds (as `newsdesk run`
// does) exits non-zero with a message naming the index and what to do,
// where it used to block in the file lock for ever, printing nothing.
func TestServeNextToARunningProcessExitsNamingTheIndex(t *testing.T) {
	dataDir := t.TempDir()
	path := filepath.Join(dataDir, "index")
	held, err := embedded.Open(path, nil) // the running `newsdesk run`
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer held.Close()
	t.Setenv("NEWSDESK_DATA_DIR", dataDir)
	code, stdout, stderr := runMain(t, "", "serve", "-addr", "127.0.0.1:0")
	if code == exitOK {
		t.Fatalf("serve exited 0 (stdout %q)", stdout)
	}
	for _, want := range []string{path, "another newsdesk process", "stop that process"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
}
