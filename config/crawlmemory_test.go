package config

import (
	"strings"
	"testing"
)

// TestCrawlMemoryKeys: the memory keys of a crawl pass decode, default to
// what the crawler documents, and bad values are refused naming the key.
func TestCrawlMemoryKeys(t *testing.T) {
	d := Default().Crawl
	if d.MaxParses != 0 || d.MemoryBudget != 512<<20 || d.MaxSitemaps != 100 {
		t.Errorf("defaults: max_parses %d, memory_budget %d, max_sitemaps %d", d.MaxParses, d.MemoryBudget, d.MaxSitemaps)
	}
	c := Default()
	if err := decode(strings.NewReader("crawl:\n  max_parses: 3\n  memory_budget: 268435456\n  max_sitemaps: 7\n"), c); err != nil {
		t.Fatal(err)
	}
	if c.Crawl.MaxParses != 3 || c.Crawl.MemoryBudget != 256<<20 || c.Crawl.MaxSitemaps != 7 {
		t.Errorf("decoded %+v", c.Crawl)
	}
	for _, tc := range []struct {
		edit func(*Crawl)
		want string
	}{
		{func(c *Crawl) { c.MaxParses = -1 }, "crawl.max_parses: must not be negative"},
		{func(c *Crawl) { c.MemoryBudget = 0 }, "crawl.memory_budget: must be a positive number of bytes"},
		{func(c *Crawl) { c.MaxSitemaps = 0 }, "crawl.max_sitemaps: must be at least 1"},
	} {
		c := Default()
		tc.edit(&c.Crawl)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
		}
	}
}
