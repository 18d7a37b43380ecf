package config

import (
	"strings"
	"testing"
	"time"
)

// TestCrawlRevisitKeys: the revisit schedule and the dead-link keys
// decode, default to the crawler's documented schedule, and bad values
// are refused naming the key.
func TestCrawlRevisitKeys(t *testing.T) {
	d := Default().Crawl
	if time.Duration(d.Revisit.YoungFor) != 6*time.Hour || time.Duration(d.Revisit.FreshEvery) != time.Hour ||
		d.Revisit.MaxBackoff != 4 || time.Duration(d.DeadLinkTTL) != 7*24*time.Hour || d.FollowChromeLinks {
		t.Errorf("defaults: %+v, dead_link_ttl %s", d.Revisit, d.DeadLinkTTL)
	}
	c := Default()
	yaml := "crawl:\n  revisit:\n    fresh_every: 30m\n    max_per_pass: 50\n  dead_link_ttl: 24h\n  follow_chrome_links: true\n"
	if err := decode(strings.NewReader(yaml), c); err != nil {
		t.Fatal(err)
	}
	if time.Duration(c.Crawl.Revisit.FreshEvery) != 30*time.Minute || c.Crawl.Revisit.MaxPerPass != 50 ||
		time.Duration(c.Crawl.Revisit.YoungFor) != 6*time.Hour || time.Duration(c.Crawl.DeadLinkTTL) != 24*time.Hour || !c.Crawl.FollowChromeLinks {
		t.Errorf("decoded %+v", c.Crawl)
	}
	for _, tc := range []struct {
		edit func(*Crawl)
		want string
	}{
		{func(c *Crawl) { c.Revisit.FreshEvery = 0 }, "crawl.revisit.fresh_every: must be positive"},
		{func(c *Crawl) { c.Revisit.MaxBackoff = 0 }, "crawl.revisit.max_backoff: must be at least 1"},
		{func(c *Crawl) { c.Revisit.MaxPerPass = -1 }, "crawl.revisit.max_per_pass: must not be negative"},
		{func(c *Crawl) { c.Revisit.YoungFor = Duration(72 * time.Hour) }, "crawl.revisit.fresh_for: want young_for <= fresh_for <= recent_for"},
		{func(c *Crawl) { c.DeadLinkTTL = -1 }, "crawl.dead_link_ttl: must not be negative"},
	} {
		c := Default()
		tc.edit(&c.Crawl)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
		}
	}
}
