package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMetricsAddr(t *testing.T) {
	if got := Default().Metrics.Addr; got != "" {
		t.Errorf("default metrics.addr %q, want none (off)", got)
	}
	dir := t.TempDir()
	write := func(body string) string {
		path := filepath.Join(dir, "newsdesk.yaml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	cfg, err := Load(write("metrics:\n  addr: 127.0.0.1:9464\n"))
	if err != nil || cfg.Metrics.Addr != "127.0.0.1:9464" {
		t.Fatalf("metrics.addr from the file: %+v, %v", cfg.Metrics, err)
	}
	if _, err := Load(write("metrics:\n  addr: 9464\n")); err == nil || !strings.Contains(err.Error(), "metrics.addr") {
		t.Errorf("a bad metrics.addr: %v, want an error naming the key", err)
	}
	t.Setenv(EnvMetricsAddr, "0.0.0.0:9464")
	if cfg, err := Load(""); err != nil || cfg.Metrics.Addr != "0.0.0.0:9464" {
		t.Errorf("metrics.addr from %s: %+v, %v", EnvMetricsAddr, cfg.Metrics, err)
	}
}
