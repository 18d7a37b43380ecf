package main

import (
	"strings"
	"testing"

	"newsdesk/config"
)

// With the placeholder User-Agent, run and crawl refuse real sites and say
// which key to set; before touching NATS (none is configured here).
func TestPlaceholderUserAgentRefusesRealSites(t *testing.T) {
	cfgPath := writeConfig(t, "data_dir: "+t.TempDir()+"\nnats:\n  url: nats://127.0.0.1:1\nsources:\n  - name: eff\n    seeds: [https://www.eff.org/deeplinks]\n")
	for _, cmd := range [][]string{{"crawl", "--once"}, {"run"}} {
		code, _, stderr := runMain(t, "", append(cmd, "--config", cfgPath)...)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want 2 (stderr %q)", cmd[0], code, stderr)
		}
		for _, want := range []string{"crawl.user_agent", "NEWSDESK_USER_AGENT", "www.eff.org"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr %q does not name %s", cmd[0], stderr, want)
			}
		}
	}
}

func TestUserAgentContactCheck(t *testing.T) {
	cfg := config.Default()
	if len(cfg.Sources) == 0 {
		t.Fatal("no example sources in the defaults")
	}
	loop := cfg.Sources[0]
	loop.Seeds, loop.Feeds, loop.Sitemaps = []string{"http://127.0.0.1:8081/"}, []string{"http://localhost:9/feed"}, []string{"http://[::1]:9/sitemap.xml"}
	if err := checkUserAgentContact(cfg, []config.Source{loop}); err != nil {
		t.Errorf("loopback site refused: %v", err)
	}
	if err := checkUserAgentContact(cfg, cfg.Sources); err == nil {
		t.Error("example sources with the placeholder User-Agent accepted")
	}
	cfg.Crawl.UserAgent = "newsdesk/0.1 (+https://example.org/bot; ops@example.org)"
	if err := checkUserAgentContact(cfg, cfg.Sources); err != nil {
		t.Errorf("a configured User-Agent refused: %v", err)
	}
}
