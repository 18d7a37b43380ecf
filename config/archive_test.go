package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrawlArchiveKeys: crawl.archive and crawl.archive_max_bytes load,
// default to off and 1 GiB, and a rotation size too small to hold a page
// is refused naming the key.
func TestCrawlArchiveKeys(t *testing.T) {
	dir := t.TempDir()
	load := func(body string) (*Config, error) {
		path := filepath.Join(dir, "newsdesk.yaml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return Load(path)
	}
	c, err := load("crawl:\n  archive: /var/lib/newsdesk/warc\n  archive_max_bytes: 104857600\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Crawl.Archive != "/var/lib/newsdesk/warc" || c.Crawl.ArchiveMaxBytes != 100<<20 {
		t.Errorf("archive %q, max bytes %d", c.Crawl.Archive, c.Crawl.ArchiveMaxBytes)
	}
	if d := Default().Crawl; d.Archive != "" || d.ArchiveMaxBytes != 1<<30 {
		t.Errorf("defaults: archive %q, max bytes %d; want off and 1 GiB", d.Archive, d.ArchiveMaxBytes)
	}
	if _, err := load("crawl:\n  archive_max_bytes: 1000\n"); err == nil || !strings.Contains(err.Error(), "crawl.archive_max_bytes") {
		t.Errorf("a 1000-byte rotation: %v; want an error naming crawl.archive_max_bytes", err)
	}
}
