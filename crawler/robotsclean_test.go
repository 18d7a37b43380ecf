package crawler

import (
	"testing"

	"github.com/temoto/robotstxt"
)

// TestLenientRobotsKeepsWhatCanBeRead checks robots.txt files colly's
// parser rejects whole: what can be read still applies.
func TestLenientRobotsKeepsWhatCanBeRead(t *testing.T) {
	cases := []struct {
		name, robots string
		allowed      []string
		blocked      []string
		delay        bool
		sitemaps     int
	}{
		{"disallow before user-agent",
			"Disallow: /a\nUser-agent: *\nDisallow: /private\n",
			[]string{"/a", "/news"}, []string{"/private/x"}, false, 0},
		{"crawl-delay before user-agent and unreadable",
			"Crawl-delay: 5\nUser-agent: *\nCrawl-delay: soon\nDisallow: /p\n",
			[]string{"/"}, []string{"/p"}, false, 0},
		{"readable crawl-delay kept",
			"Disallow: /z\nUser-agent: *\nCrawl-delay: 2.5 # seconds\n",
			[]string{"/"}, nil, true, 0},
		{"sitemap anywhere, junk lines, BOM, CRLF",
			"\ufeffSitemap: https://example.org/s.xml\r\nthis is not a rule\r\nAllow /x\r\nUser-agent: *\r\nDisallow: /tmp # comment\r\n: empty key\r\n",
			[]string{"/x"}, []string{"/tmp/1"}, false, 1},
		{"negative delay",
			"User-agent: *\nCrawl-delay: -1\nDisallow: /d\n",
			[]string{"/"}, []string{"/d"}, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := robotstxt.FromString(c.robots); err == nil {
				t.Fatalf("the case is meant to be one colly's parser rejects")
			}
			data, err := robotstxt.FromBytes(lenientRobots([]byte(c.robots)))
			if err != nil {
				t.Fatalf("cleaned robots.txt still rejected: %v", err)
			}
			g := data.FindGroup(testUA)
			for _, p := range c.allowed {
				if !g.Test(p) {
					t.Errorf("%s blocked, want allowed", p)
				}
			}
			for _, p := range c.blocked {
				if g.Test(p) {
					t.Errorf("%s allowed, want blocked", p)
				}
			}
			if got := g.CrawlDelay > 0; got != c.delay {
				t.Errorf("crawl delay %s, want one: %v", g.CrawlDelay, c.delay)
			}
			if len(data.Sitemaps) != c.sitemaps {
				t.Errorf("sitemaps %v, want %d", data.Sitemaps, c.sitemaps)
			}
		})
	}
}

// FuzzLenientRobots checks that whatever a server sends, the cleaned
// robots.txt is one colly's parser accepts.
func FuzzLenientRobots(f *testing.F) {
	for _, s := range []string{
		"Disallow: /\n", "User-agent: *\nCrawl-delay: NaN\n", "Crawl-delay: Inf\nUser-agent: x\n",
		"User-agent: *\nDisallow: /a b c\nAllow: /a:b\n", "Sitemap:\nHost:\n", "\x00\xff:\xfe\n", "User-Agent:0 CrAwldelAY",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := robotstxt.FromBytes(lenientRobots([]byte(s))); err != nil {
			t.Fatalf("cleaned %q, still rejected: %v", s, err)
		}
	})
}
