package embedded

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOpenLockedIndexFailsNamingThePath checks that opening an index that
// is already open (as by a running `newsdesk run`) fails with ErrLocked and
// a message naming the path and the way out, where it used to block for
// ever; and that the index opens once the other holder closed it.
func TestOpenLockedIndexFailsNamingThePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	first, err := Open(path, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	_, err = open(path, nil, 100*time.Millisecond)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	for _, want := range []string{path, "another newsdesk process", "stop that process"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := open(path, nil, 100*time.Millisecond)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	_ = again.Close()
}
