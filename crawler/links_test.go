package crawler

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gocolly/colly/v2"
)

// TestResolverAgreesWithColly checks the fast path of the resolver against
// colly's WHATWG resolution: after normalisation, both must give the same
// URL for every link, plain or not.
func TestResolverAgreesWithColly(t *testing.T) {
	hrefs := []string{
		"/a/1", "a/2", "../up", "./here?x=1", "?page=2", "/p?b=2&a=1#c", "//other.example/x",
		"http://Example.COM:80/A/./b/../c", "https://news.example/2025/03/story.html",
		"/caf%C3%A9", "/a%2Fb", "/q?s=%zz", "/q?utm_source=x&id=3", "x:y", "./x:y", "/a:b",
		"mailto:desk@example.org", "javascript:void(0)", "http:relative", "http:///triple",
		" /padded ", "/tab\there", `\back\slash`, "/sp ace", "/ümlaut", "/q?it's", "/[v]",
		"", "#top", "/", "..", "HTTPS://x.example", "ftp://x.example/f",
	}
	n := newNormalizer(DefaultTrackingParams)
	for _, pageURL := range []string{"http://news.example/section/page.html?x=1", "https://news.example:8443/"} {
		u, err := url.Parse(pageURL)
		if err != nil {
			t.Fatal(err)
		}
		req := &colly.Request{URL: u}
		res := newResolver(req, "")
		if res.base == nil {
			t.Fatalf("no base for %s", pageURL)
		}
		for _, h := range hrefs {
			got, want := n.normalizeString(res.resolve(h)), n.normalizeString(req.AbsoluteURL(h))
			if got != want {
				t.Errorf("page %s, href %q: resolver gives %q, colly %q", pageURL, h, got, want)
			}
		}
	}
}

func TestPlainRef(t *testing.T) {
	for href, want := range map[string]bool{
		"/a/1": true, "a?b=c:d": true, "//h.example/x": true, "HTTP://h.example/": true,
		"mailto:x@y": false, "http:x": false, "http:///x": false, " /a": false, "/a b": false,
		`/a\b`: false, "/é": false, "": false, "a:b": false, "./a:b": true,
	} {
		if got := plainRef(href); got != want {
			t.Errorf("plainRef(%q) = %t, want %t", href, got, want)
		}
	}
}

// TestCrawlHonoursBaseHref: a page's <base href> is what its relative
// links resolve against, on the resolver's fast path too.
func TestCrawlHonoursBaseHref(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":                   htmlPage(`<html><head><base href="/archive/2025/"></head><body><a href="story">s</a><a href="../2024/old">o</a></body></html>`),
		"/archive/2025/story": story("Story", ""),
		"/archive/2024/old":   story("Old", ""),
	})
	sum, _, _, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	for _, uri := range []string{"/archive/2025/story", "/archive/2024/old"} {
		if n := site.count(uri); n != 1 {
			t.Errorf("%s requested %d times, want 1 (log %v)", uri, n, site.log())
		}
	}
	if sum.Articles != 2 {
		t.Errorf("articles = %d, want 2: %s", sum.Articles, sum)
	}
}
