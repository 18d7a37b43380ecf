package crawler

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz targets below feed the crawler's readers what a hostile or
// broken server could send. Run one with
//
//	go test -run '^$' -fuzz '^FuzzFeed$' -fuzztime 60s ./crawler
//
// (or scripts/fuzz.sh for all); a crasher lands in testdata/fuzz/FuzzX and
// then runs with every `go test` as a regression test.

// FuzzFeed: feedEntries never panics, and every entry it returns has a
// link without surrounding space.
func FuzzFeed(f *testing.F) {
	for _, seed := range []string{
		`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A</title><link>https://news.example/a</link><pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title><link href="https://news.example/a"/><updated>2026-11-29T10:00:00Z</updated></entry></feed>`,
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item><link>https://news.example/a</link></item></rdf:RDF>`,
		`{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"https://news.example/a","date_published":"2026-11-29T10:00:00Z"}]}`,
		`<?xml version="1.0" encoding="windows-1252"?><rss><channel><item><link> https://news.example/caf` + "\xe9" + ` </link></item></channel></rss>`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, err := feedEntries(body)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.URL == "" || e.URL != strings.TrimSpace(e.URL) {
				t.Fatalf("feed entry with link %q", e.URL)
			}
		}
	})
}

// FuzzSitemap: isSitemap and eachSitemapEntry never panic, every entry has
// a location without surrounding space, and the stream stops when asked.
func FuzzSitemap(f *testing.F) {
	for _, seed := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.example/a</loc><lastmod>2026-11-29</lastmod></url><url><loc>https://news.example/b</loc></url></urlset>`,
		`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://news.example/s1.xml</loc><lastmod>2026-11-29T10:00:00+01:00</lastmod></sitemap></sitemapindex>`,
		`<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://news.example/a</loc><news:news><news:publication_date>2026-11-29T10:00Z</news:publication_date><news:title>A</news:title></news:news></url></urlset>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><urlset><url><loc>https://news.example/caf` + "\xe9" + `</loc></url></urlset>`,
		`<urlset><url><loc>`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_ = isSitemap(body)
		all := 0
		_ = eachSitemapEntry(body, func(e entry) bool {
			if e.URL == "" || e.URL != strings.TrimSpace(e.URL) {
				t.Fatalf("sitemap entry with location %q", e.URL)
			}
			all++
			return true
		})
		calls := 0
		_ = eachSitemapEntry(body, func(entry) bool {
			calls++
			return false
		})
		if calls > 1 || (all > 0 && calls != 1) {
			t.Fatalf("asked to stop after the first of %d entries, got %d calls", all, calls)
		}
	})
}

// FuzzNormalize: normalizeString never panics, and what it returns is an
// absolute http(s) URL in the form it promises: lower-case scheme and host,
// no fragment, no user, no tracking parameters, and normalising it again
// changes nothing.
func FuzzNormalize(f *testing.F) {
	for _, seed := range []string{
		"https://News.Example:443/a/./b/../c?utm_source=x&b=2&a=1#frag",
		"HTTP://user:pass@news.example:80?fbclid=1",
		"http://news.example./a/b/",
		"https://[::1]:8443/%2e%2e/x?a=%20&a=1;b",
		"https://news.example/p?UTM_Medium=x&q=caf%C3%A9",
		"mailto:desk@news.example",
		"//news.example/a",
		"http://0?\xd0 #000",
		"https://news.example/search?q=data protection \u00a0&tab=\x7f",
		"",
	} {
		f.Add(seed)
	}
	n := newNormalizer(DefaultTrackingParams)
	f.Fuzz(func(t *testing.T, raw string) {
		got := n.normalizeString(raw)
		if got == "" {
			return
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("normalizeString(%q) = %q, which does not parse: %v", raw, got, err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Host != strings.ToLower(u.Host) {
			t.Fatalf("normalizeString(%q) = %q: scheme or host not normalised", raw, got)
		}
		if u.Fragment != "" || u.User != nil {
			t.Fatalf("normalizeString(%q) = %q keeps a fragment or user", raw, got)
		}
		for _, p := range strings.Split(u.RawQuery, "&") {
			name, _, _ := strings.Cut(p, "=")
			if unescaped, err := url.QueryUnescape(name); err == nil && n.tracking(unescaped) {
				t.Fatalf("normalizeString(%q) = %q keeps the tracking parameter %q", raw, got, name)
			}
		}
		if again := n.normalizeString(got); again != got {
			t.Fatalf("normalizeString is not idempotent: %q -> %q -> %q", raw, got, again)
		}
		if utf8.ValidString(raw) && !utf8.ValidString(got) {
			t.Fatalf("normalizeString(%q) = %q: invalid UTF-8 out of valid", raw, got)
		}
	})
}
