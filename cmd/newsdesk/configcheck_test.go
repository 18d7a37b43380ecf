package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryCommandRefusesABadWatchQuery: a watch query that does not parse
// stops parse, crawl and serve at start with a config error naming the key,
// not only index (the alerter's command).
func TestEveryCommandRefusesABadWatchQuery(t *testing.T) {
	cfg := writeConfig(t, `data_dir: `+t.TempDir()+`
sources:
  - name: site
    seeds: [https://site.example/]
watches:
  - name: meta
    query: "Meta AND ("
`)
	for _, args := range [][]string{
		{"parse", "--config", cfg, "--url", "https://site.example/a"},
		{"crawl", "--config", cfg},
		{"serve", "--config", cfg},
	} {
		code, _, stderr := runMain(t, "<html></html>", args...)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d (config error); stderr:\n%s", args[0], code, exitUsage, stderr)
		}
		if !strings.Contains(stderr, "watches[0].query") || !strings.Contains(stderr, cfg) {
			t.Errorf("%s: stderr does not name %s and watches[0].query:\n%s", args[0], cfg, stderr)
		}
	}
}

// TestConfigErrorsNeverPrintTheElasticsearchPassword: a config whose
// Elasticsearch URL carries a password, and a bad password file, fail
// without the password in the output.
func TestConfigErrorsNeverPrintTheElasticsearchPassword(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, `data_dir: `+dir+`
elasticsearch:
  urls: ["https://elastic:hunter2@es-0:9200/", "es:hunter2@es-1"]
  password_file: `+filepath.Join(dir, "missing")+`
`)
	t.Setenv("NEWSDESK_ES_URL", "")
	code, stdout, stderr := runMain(t, "<html></html>", "parse", "--config", cfg, "--url", "https://site.example/a")
	if code != exitUsage {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr)
	}
	if strings.Contains(stdout+stderr, "hunter2") {
		t.Errorf("the output holds the password:\n%s", stderr)
	}
	if !strings.Contains(stderr, "elasticsearch.urls[1]") || !strings.Contains(stderr, "elasticsearch.password_file") {
		t.Errorf("stderr does not name the bad keys:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("the missing password file exists")
	}
}
