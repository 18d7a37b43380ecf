package crawler

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestNewValidatesOptions(t *testing.T) {
	ok := Options{UserAgent: testUA}
	for _, tc := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"no user agent", func(o *Options) { o.UserAgent = " " }, "UserAgent"},
		{"multi-line user agent", func(o *Options) { o.UserAgent = "a\r\nX-Evil: 1" }, "UserAgent"},
		{"negative parallelism", func(o *Options) { o.Parallelism = -1 }, "Parallelism"},
		{"negative timeout", func(o *Options) { o.Timeout = -time.Second }, "Timeout"},
		{"negative body limit", func(o *Options) { o.MaxBodyBytes = -1 }, "MaxBodyBytes"},
		{"negative budget", func(o *Options) { o.MaxPages = -1 }, "MaxPages"},
		{"negative parses", func(o *Options) { o.MaxParses = -1 }, "MaxParses"},
		{"negative memory budget", func(o *Options) { o.MemoryBudget = -1 }, "MemoryBudget"},
		{"negative sitemap budget", func(o *Options) { o.MaxSitemaps = -1 }, "MaxSitemaps"},
	} {
		o := ok
		tc.edit(&o)
		if _, err := New(o, &fakeParser{}, &memPublisher{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: New error = %v, want one naming %s", tc.name, err, tc.want)
		}
	}
	if _, err := New(ok, nil, &memPublisher{}); err == nil {
		t.Error("New accepted a nil parser")
	}
	if _, err := New(ok, &fakeParser{}, nil); err == nil {
		t.Error("New accepted a nil publisher")
	}

	c, err := New(ok, &fakeParser{}, &memPublisher{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	o := c.opts
	if o.Parallelism != DefaultParallelism || o.Delay != DefaultDelay || o.Timeout != DefaultTimeout ||
		o.MaxBodyBytes != DefaultMaxBodyBytes || o.MaxPages != DefaultMaxPages || o.Logger == nil || o.Now == nil ||
		o.MaxParses != runtime.GOMAXPROCS(0) || o.MemoryBudget != DefaultMemoryBudget || o.MaxSitemaps != DefaultMaxSitemaps {
		t.Errorf("defaults not applied: %+v", o)
	}
	c, _ = New(Options{UserAgent: testUA, Delay: -1}, &fakeParser{}, &memPublisher{})
	if c.opts.Delay != 0 {
		t.Errorf("negative Delay gave %s, want none", c.opts.Delay)
	}
}

func TestCrawlRejectsInvalidSources(t *testing.T) {
	c, err := New(Options{UserAgent: testUA}, &fakeParser{}, &memPublisher{})
	if err != nil {
		t.Fatal(err)
	}
	good := Source{Name: "daily", Seeds: []string{"https://news.example/"}}
	for _, tc := range []struct {
		name    string
		sources []Source
		want    string
	}{
		{"none", nil, "no sources"},
		{"bad name", []Source{{Name: "The Daily", Seeds: good.Seeds}}, "invalid name"},
		{"no seeds", []Source{{Name: "daily"}}, "no seeds, feeds or sitemaps"},
		{"relative seed", []Source{{Name: "daily", Seeds: []string{"/news"}}}, "absolute"},
		{"ftp seed", []Source{{Name: "daily", Seeds: []string{"ftp://news.example/"}}}, "absolute"},
		{"seed off domains", []Source{{Name: "daily", Seeds: good.Seeds, AllowedDomains: []string{"other.example"}}}, "not in AllowedDomains"},
		{"domain with scheme", []Source{{Name: "daily", Seeds: good.Seeds, AllowedDomains: []string{"https://news.example"}}}, "bare host"},
		{"negative depth", []Source{{Name: "daily", Seeds: good.Seeds, MaxDepth: -1}}, "MaxDepth"},
		{"bad include", []Source{{Name: "daily", Seeds: good.Seeds, Include: []string{"("}}}, "Include"},
		{"bad exclude", []Source{{Name: "daily", Seeds: good.Seeds, Exclude: []string{"["}}}, "Exclude"},
		{"duplicate", []Source{good, good}, "duplicate"},
	} {
		// An invalid configuration fails before any request: the seeds are
		// not reachable, so a request would show up as another error.
		_, err := c.Crawl(context.Background(), tc.sources)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Crawl error = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestSiteCheck(t *testing.T) {
	s, err := compileSource(Source{
		Name:           "daily",
		Seeds:          []string{"https://news.example/"},
		AllowedDomains: []string{"News.Example", "www.news.example"},
		Include:        []string{`/20\d\d/`},
		Exclude:        []string{`/live/`},
	}, newNormalizer(DefaultTrackingParams))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in, out string
		v       verdict
	}{
		{"https://news.example/2025/03/story#comments", "https://news.example/2025/03/story", follow},
		{"https://WWW.news.example:8443/2025/x", "https://www.news.example:8443/2025/x", follow},
		{"https://news.example:443/2025/x?utm_source=nl&b=2&a=1&fbclid=z#c", "https://news.example/2025/x?a=1&b=2", follow},
		{"https://news.example/2025/live/x", "https://news.example/2025/live/x", refuse},
		{"https://news.example/about", "https://news.example/about", refuse},
		{"https://elsewhere.example/2025/x", "", ignore},
		{"mailto:desk@news.example", "", ignore},
		{"", "", ignore},
	} {
		out, v := s.check(tc.in)
		if out != tc.out || v != tc.v {
			t.Errorf("check(%q) = %q, %d; want %q, %d", tc.in, out, v, tc.out, tc.v)
		}
	}
}

func TestSummaryString(t *testing.T) {
	s := Summary{Pages: 5, Requests: 9, Conditional: 2, NotModified: 1, Articles: 3, Updated: 1, Unchanged: 2, Paywalls: 1,
		RevisitsDue: 3, Revisits: 2, Dead: 2, Skipped: 2, Skips: Skips{Robots: 1, NotDue: 1}, Elapsed: 1234567 * time.Microsecond}
	if got, want := s.String(), "pages=5 requests=9 conditional=2 notmodified=1 articles=3 updated=1 unchanged=2 offtopic=0 paywalls=1 revisits=2/3 dead=2 errors=0 toolarge=0 skipped=2 (robots=1 notdue=1) leased=0 elapsed=1.235s"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestGateWaitEndsWithContext(t *testing.T) {
	g := newGate(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := g.wait(ctx, "news.example"); err != nil {
		t.Fatalf("first request waited: %v", err)
	}
	if err := g.wait(ctx, "other.example"); err != nil {
		t.Fatalf("another host waited: %v", err)
	}
	if ahead := time.Until(g.next["news.example"]); ahead < 59*time.Minute {
		t.Fatalf("next request to the host reserved %s ahead, want the delay of 1h", ahead)
	}
	done := make(chan error, 1)
	go func() { done <- g.wait(ctx, "news.example") }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("wait = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("wait ignored cancellation")
	}
	if err := newGate(0).wait(context.Background(), "news.example"); err != nil {
		t.Errorf("no delay: wait = %v", err)
	}
}

func TestMoveCharset(t *testing.T) {
	for _, tc := range []struct{ in, ct, cs string }{
		{"text/html; charset=ISO-8859-1", "text/html", "ISO-8859-1"},
		{`text/html;charset="windows-1252"`, "text/html", "windows-1252"},
		{"text/html", "text/html", ""},
		{"text/html; charset=", "text/html", ""},
		{"application/xhtml+xml; charset=utf-8; foo", "application/xhtml+xml", ""},
	} {
		h := http.Header{"Content-Type": {tc.in}}
		moveCharset(h)
		if h.Get("Content-Type") != tc.ct || h.Get(headerCharset) != tc.cs {
			t.Errorf("%q: Content-Type %q, charset %q; want %q, %q", tc.in, h.Get("Content-Type"), h.Get(headerCharset), tc.ct, tc.cs)
		}
	}
}

func TestDeclaresCharset(t *testing.T) {
	for _, tc := range []struct {
		body string
		want bool
	}{
		{`<html><head><meta charset="iso-8859-1">`, true},
		{`<meta charset=utf-8>`, true},
		{`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`, true},
		{`<meta content='text/html; charset="shift_jis"' http-equiv=content-type>`, true},
		{`<meta name="description" content="charset=latin1 is old">`, false},
		{`<meta charset="no-such-charset">`, false},
		{"\xef\xbb\xbf<html>", true},
		{`<html><head><title>x</title></head>`, false},
		{strings.Repeat(" ", 1100) + `<meta charset="iso-8859-1">`, false},
	} {
		if got := declaresCharset([]byte(tc.body)); got != tc.want {
			t.Errorf("declaresCharset(%.60q) = %v, want %v", tc.body, got, tc.want)
		}
	}
}

func TestPageBytes(t *testing.T) {
	latin := []byte("<p>caf\xe9</p>")
	if got := string(pageBytes(latin, "iso-8859-1")); got != "<p>café</p>" {
		t.Errorf("header-only latin-1 = %q, want UTF-8", got)
	}
	declared := []byte("<meta charset=iso-8859-1><p>caf\xe9</p>")
	if got := pageBytes(declared, "windows-1252"); string(got) != string(declared) {
		t.Errorf("self-declared page changed: %q", got)
	}
	for _, cs := range []string{"", "utf-8", "no-such-charset"} {
		if got := pageBytes(latin, cs); string(got) != string(latin) {
			t.Errorf("charset %q: body changed to %q", cs, got)
		}
	}
}

func TestFeedLinks(t *testing.T) {
	rdf := `<?xml version="1.0" encoding="ISO-8859-1"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel><title>Caf` + "\xe9" + `</title><link>https://news.example/</link></channel>
<item><link>https://news.example/a</link></item></rdf:RDF>`
	links, err := feedLinks([]byte(rdf))
	if err != nil {
		t.Fatalf("feedLinks: %v", err)
	}
	if len(links) != 1 || links[0] != "https://news.example/a" {
		t.Errorf("links = %q, want the one item", links)
	}
	if _, err := feedLinks([]byte("<rss><channel>")); err == nil {
		t.Error("truncated feed gave no error")
	}
}

func TestDomainRule(t *testing.T) {
	r := domainRule("news.example", 2)
	if err := r.Init(); err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{
		"news.example":      true,
		"news.example:8080": true,
		"www.news.example":  false,
		"news.example.evil": false,
		"newsXexample":      false,
	} {
		if got := r.Match(host); got != want {
			t.Errorf("Match(%q) = %v, want %v", host, got, want)
		}
	}
}
