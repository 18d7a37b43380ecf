package main

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

func TestVersionPrintsTheBuild(t *testing.T) {
	code, stdout, stderr := runMain(t, "", "version")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"newsdesk ", "commit ", "commit date ", runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH} {
		if !strings.Contains(stdout, want) {
			t.Errorf("version output lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = runMain(t, "", "version", "--json")
	if code != exitOK {
		t.Fatalf("--json: exit %d: %s", code, stderr)
	}
	var b buildInfo
	if err := json.Unmarshal([]byte(stdout), &b); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, stdout)
	}
	if b.Version == "" || b.Go != runtime.Version() {
		t.Errorf("--json: %+v", b)
	}
}
