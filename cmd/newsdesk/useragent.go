package main

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"newsdesk/config"
)

// checkUserAgentContact refuses to crawl real sites with the placeholder
// User-Agent: a publisher who sees newsdesk in its logs must be able to
// reach whoever runs it. Loopback sites (the demo, the tests) need no
// contact, so they still work out of the box.
func checkUserAgentContact(cfg *config.Config, sources []config.Source) error {
	if cfg.Crawl.UserAgent != config.DefaultUserAgent {
		return nil
	}
	var real []string
	for _, s := range sources {
		for _, raw := range slices.Concat(s.Seeds, s.Feeds, s.Sitemaps) {
			if host := hostOf(raw); !isLoopbackHost(host) && !slices.Contains(real, host) {
				real = append(real, host)
			}
		}
	}
	if len(real) == 0 {
		return nil
	}
	return fmt.Errorf("refusing to crawl %s with the placeholder User-Agent %q: set crawl.user_agent in the config "+
		"(or NEWSDESK_USER_AGENT) to name you and a contact, e.g. \"newsdesk/0.1 (+https://example.org/bot; ops@example.org)\"; "+
		"`newsdesk demo` crawls a bundled local site without one",
		strings.Join(real, ", "), config.DefaultUserAgent)
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Hostname()
}

// isLoopbackHost is true for localhost and loopback addresses: sites on
// this machine.
func isLoopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// selectedSources are the config sources `crawl --source` picks (all when
// only is empty).
func selectedSources(cfg *config.Config, only string) []config.Source {
	if only == "" {
		return cfg.Sources
	}
	var out []config.Source
	for _, s := range cfg.Sources {
		if s.Name == only {
			out = append(out, s)
		}
	}
	return out
}
