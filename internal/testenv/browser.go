package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Environment variables of the browser helpers.
const (
	// EnvRequireBrowser, set to 1 (as CI does), turns a missing chromium
	// from a skip into a failure.
	EnvRequireBrowser = "NEWSDESK_REQUIRE_BROWSER"
	// EnvChromium names the browser binary; default: chromium on PATH.
	EnvChromium = "NEWSDESK_CHROMIUM"
	// EnvArtifacts is the directory where tests keep what a person should
	// look at afterwards (screenshots); default: newsdesk-artifacts in the
	// system's temporary directory.
	EnvArtifacts = "NEWSDESK_ARTIFACTS"
)

const missingBrowser = "browser tests need chromium (apt-get install chromium) or " + EnvChromium

var warnBrowserOnce sync.Once

// Chromium returns the path of a headless-capable Chromium. When there is
// none the test is skipped with a loud message, or fails when
// NEWSDESK_REQUIRE_BROWSER=1.
func Chromium(t testing.TB) string {
	t.Helper()
	name := os.Getenv(EnvChromium)
	if name == "" {
		name = "chromium"
	}
	if path, err := exec.LookPath(name); err == nil {
		return path
	}
	if os.Getenv(EnvRequireBrowser) == "1" {
		t.Fatalf("%s (%s=1 makes this a failure)", missingBrowser, EnvRequireBrowser)
	}
	warnBrowserOnce.Do(func() { fmt.Fprintln(os.Stderr, "SKIP: "+missingBrowser) })
	t.Skip("SKIP: " + missingBrowser)
	return ""
}

// ArtifactPath returns where a test keeps an artifact named name, creating
// the directory: $NEWSDESK_ARTIFACTS, else newsdesk-artifacts under the
// temporary directory. Unlike t.TempDir it survives the test, so CI can
// print and keep it.
func ArtifactPath(t testing.TB, name string) string {
	t.Helper()
	dir := os.Getenv(EnvArtifacts)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "newsdesk-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("creating artifact directory: %v", err)
	}
	return filepath.Join(dir, name)
}
