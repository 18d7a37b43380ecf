package crawler

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func xmlHandler(ct, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ct)
		w.Write([]byte(body))
	}
}

func gzipped(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(body))
		zw.Close()
		w.Header().Set("Content-Type", "application/x-gzip")
		w.Write(b.Bytes())
	}
}

func TestCrawlSitemapIndexGzippedChildAndNewsSitemap(t *testing.T) {
	recent := testNow.Add(-time.Hour).Format(time.RFC3339)
	old := testNow.Add(-30 * 24 * time.Hour).Format("2006-01-02")
	var base string
	site := newSite(t, map[string]http.HandlerFunc{
		"/sitemap.xml": func(w http.ResponseWriter, r *http.Request) {
			xmlHandler("application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>`+base+`/sitemap-news.xml.gz</loc><lastmod>`+recent+`</lastmod></sitemap>
  <sitemap><loc>`+base+`/sitemap-2019.xml</loc><lastmod>2019-01-01</lastmod></sitemap>
</sitemapindex>`)(w, r)
		},
		"/sitemap-news.xml.gz": func(w http.ResponseWriter, r *http.Request) {
			gzipped(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>`+base+`/news/a</loc><news:news><news:publication><news:name>Daily</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>`+recent+`</news:publication_date><news:title>A</news:title></news:news></url>
  <url><loc>`+base+`/news/b?utm_source=sitemap</loc><lastmod>`+recent+`</lastmod></url>
  <url><loc>`+base+`/news/old</loc><lastmod>`+old+`</lastmod></url>
</urlset>`)(w, r)
		},
		"/sitemap-2019.xml": xmlHandler("application/xml", `<urlset/>`),
		"/news/a":           story("A", ""),
		"/news/b":           story("B", ""),
		"/news/old":         story("Old", ""),
	})
	base = site.URL
	sum, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Sitemaps: []string{site.URL + "/sitemap.xml"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if titles := pub.titles(); len(titles) != 2 || titles["A"] != 1 || titles["B"] != 1 {
		t.Errorf("published %v, want A and B (%s)", titles, sum)
	}
	if site.count("/news/old") != 0 || site.count("/sitemap-2019.xml") != 0 {
		t.Errorf("entries older than SitemapMaxAge were fetched: %v", site.log())
	}
	if site.count("/news/b") != 1 {
		t.Errorf("the tracking parameter was not removed: %v", site.log())
	}
}

func TestCrawlDiscoversFeedsAndSitemapsFromAHomepage(t *testing.T) {
	var base string
	site := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			text("User-agent: *\nCrawl-delay: 0\nSitemap: "+base+"/news-sitemap.xml\n")(w, r)
		},
		"/": htmlPage(`<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>Home</body></html>`),
		"/feed.xml": xmlHandler("application/rss+xml", `<rss version="2.0"><channel><title>D</title>
			<item><title>A</title><link>/news/a?fbclid=x</link></item></channel></rss>`),
		"/news-sitemap.xml": func(w http.ResponseWriter, r *http.Request) {
			xmlHandler("text/xml", `<urlset><url><loc>`+base+`/news/b</loc></url></urlset>`)(w, r)
		},
		"/news/a": story("A", ""),
		"/news/b": story("B", ""),
	})
	base = site.URL
	sum, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}, MaxDepth: 1})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if titles := pub.titles(); len(titles) != 2 {
		t.Errorf("published %v, want A from the discovered feed and B from the robots.txt sitemap (%s)", titles, sum)
	}
	if site.count("/news/a") != 1 {
		t.Errorf("requests %v", site.log())
	}
}

func TestCrawlHonoursCrawlDelay(t *testing.T) {
	ts := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": text("User-agent: *\nCrawl-delay: 7\n"),
		"/":           listing(),
	})
	c, err := New(testOptions(), &fakeParser{}, &memPublisher{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPass(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := compileSource(Source{Name: "daily", Seeds: []string{ts.URL + "/"}}, c.norm)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.collectors([]*site{s}); err != nil {
		t.Fatal(err)
	}
	p.visit(s, s.seeds[0], s.col.Visit)
	p.wait([]*site{s})
	host := strings.TrimPrefix(ts.URL, "http://")
	p.gate.mu.Lock()
	d, next := p.gate.hostDelay[host], p.gate.next[host]
	p.gate.mu.Unlock()
	if d != 7*time.Second {
		t.Errorf("Crawl-delay recorded as %s, want 7s", d)
	}
	if ahead := time.Until(next); ahead < 5*time.Second {
		t.Errorf("the next request to the host may start in %s, want about 7s", ahead)
	}
}

func TestCrawlRetries429And503(t *testing.T) {
	var limited, flaky, down atomic.Int32
	site := newSite(t, map[string]http.HandlerFunc{
		"/": listing("/news/limited", "/news/flaky"),
		"/news/limited": func(w http.ResponseWriter, r *http.Request) {
			if limited.Add(1) == 1 {
				w.Header().Set("Retry-After", "0")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
			story("Limited", "")(w, r)
		},
		"/news/flaky": func(w http.ResponseWriter, r *http.Request) {
			if flaky.Add(1) <= 2 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			story("Flaky", "")(w, r)
		},
	})
	other := newSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			down.Add(1)
			http.Error(w, "down", http.StatusBadGateway)
		},
	})
	sum, _, pub, err := crawl(t, testOptions(),
		Source{Name: "daily", Seeds: []string{site.URL + "/"}},
		Source{Name: "broken", Seeds: []string{strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if titles := pub.titles(); titles["Limited"] != 1 || titles["Flaky"] != 1 {
		t.Errorf("published %v, want both after retries (%s)", titles, sum)
	}
	if limited.Load() != 2 || flaky.Load() != 3 {
		t.Errorf("requests: limited %d (want 2), flaky %d (want 3)", limited.Load(), flaky.Load())
	}
	if n := down.Load(); n != 1+DefaultRetries {
		t.Errorf("a 502 seed was requested %d times, want 1 + %d retries", n, DefaultRetries)
	}
	if sum.Errors != 1 {
		t.Errorf("Errors = %d, want 1 (the broken seed)", sum.Errors)
	}
}

func TestCrawlLongRetryAfterSkipsTheDomain(t *testing.T) {
	var hits atomic.Int32
	site := newSite(t, map[string]http.HandlerFunc{
		"/": listing("/news/a", "/news/b", "/news/c"),
		"/news/a": func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "come back in an hour", http.StatusTooManyRequests)
		},
		"/news/b": story("B", ""), "/news/c": story("C", ""),
	})
	opts := testOptions()
	opts.Parallelism = 1
	sum, _, _, err := crawl(t, opts, Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if hits.Load() != 1 {
		t.Errorf("the page asking for an hour was requested %d times", hits.Load())
	}
	if sum.Errors+sum.Skipped+sum.Articles != 3 {
		t.Errorf("summary %s: each of the three links must be accounted for", sum)
	}
}

func TestCrawlStopsARedirectLoop(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/": listing("/loop", "/news/a"),
		"/loop": func(w http.ResponseWriter, r *http.Request) {
			n := len(r.URL.Query().Get("n"))
			http.Redirect(w, r, "/loop?n="+strings.Repeat("x", n+1), http.StatusFound)
		},
		"/news/a": story("A", ""),
	})
	sum, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if n := site.pages() - 2; n != 1+DefaultMaxRedirects {
		t.Errorf("the loop was requested %d times, want 1 + %d redirects", n, DefaultMaxRedirects)
	}
	if sum.Errors != 1 || pub.titles()["A"] != 1 {
		t.Errorf("summary %s: want the loop as one error and A published", sum)
	}
}

func TestSSRFGuardRefusesPrivateRedirects(t *testing.T) {
	internal := newSite(t, map[string]http.HandlerFunc{"/secret": story("Internal", "")})
	site := newSite(t, map[string]http.HandlerFunc{
		"/":       listing("/to-internal", "/to-metadata", "/news/a"),
		"/news/a": story("A", ""),
		"/to-metadata": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		},
		"/to-internal": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, internal.URL+"/secret", http.StatusFound)
		},
	})
	u, _ := url.Parse(site.URL)
	opts := testOptions()
	opts.AllowPrivateNetworks = false
	opts.PrivateExceptions = []string{u.Host} // only the site itself, by ip:port
	src := Source{Name: "daily", Seeds: []string{site.URL + "/"}, AllowedDomains: []string{"127.0.0.1", "169.254.169.254"}}
	sum, _, pub, err := crawl(t, opts, src)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if n := internal.pages(); n != 0 {
		t.Errorf("the internal server got %d requests", n)
	}
	if titles := pub.titles(); len(titles) != 1 || titles["A"] != 1 {
		t.Errorf("published %v, want only A", titles)
	}
	if sum.Skipped != 2 || sum.Errors != 0 {
		t.Errorf("summary %s: want both redirects skipped, no errors", sum)
	}

	// By default nothing private is reached, the seed included.
	opts.PrivateExceptions = nil
	sum, _, _, err = crawl(t, opts, src)
	if err == nil || sum.Pages != 0 {
		t.Errorf("with the guard on, a loopback seed gave %s, %v", sum, err)
	}
}

func TestCrawlDropsTrackingDuplicates(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/": listing("/news/a?utm_source=x&utm_medium=y", "/news/a?fbclid=1", "/news/a?gclid=2#top",
			"/news/a", "/NEWS/a", "/news/b?page=2&id=7", "/news/b?id=7&page=2&mc_cid=3"),
		"/news/a": story("A", ""),
		"/news/b": story("B", ""),
	})
	_, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if n := site.count("/news/a"); n != 1 {
		t.Errorf("/news/a fetched %d times: %v", n, site.log())
	}
	if n := site.count("/news/b?id=7&page=2"); n != 1 {
		t.Errorf("/news/b fetched as %v", site.log())
	}
	if titles := pub.titles(); titles["A"] != 1 || titles["B"] != 1 {
		t.Errorf("published %v", titles)
	}
}

func TestCrawlTranscodesShiftJISDeclaredInTheHeader(t *testing.T) {
	// "ニュース" (news) in Shift_JIS, declared only in the HTTP header.
	sjis := "<html><head><title>\x83j\x83\x85\x81[\x83X</title></head><body><article data-kind=\"article\"><p>x</p></article></body></html>"
	site := newSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=Shift_JIS")
			w.Write([]byte(sjis))
		},
	})
	_, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if titles := pub.titles(); titles["ニュース"] != 1 {
		t.Errorf("published %v, want the title in UTF-8", titles)
	}
}

func TestNormalize(t *testing.T) {
	n := newNormalizer(DefaultTrackingParams)
	for in, want := range map[string]string{
		"HTTPS://News.Example:443/a/./b/../c?utm_campaign=x&z=1&a=2#frag": "https://news.example/a/c?a=2&z=1",
		"http://news.example:80":                           "http://news.example/",
		"https://news.example/a?fbclid=1&gclid=2&mc_cid=3": "https://news.example/a",
		"https://news.example/a?UTM_Source=x&ref=home":     "https://news.example/a?ref=home",
		"https://user:pw@news.example/a/":                  "https://news.example/a/",
		"ftp://news.example/":                              "",
	} {
		if got := n.normalizeString(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
	custom := newNormalizer([]string{"ref", "share_*"})
	if got := custom.normalizeString("https://x.example/?ref=a&share_id=1&utm_source=b"); got != "https://x.example/?utm_source=b" {
		t.Errorf("custom list: %q", got)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"120":                           2 * time.Minute,
		"Thu, 01 Jan 2026 12:00:30 GMT": 30 * time.Second,
		"Thu, 01 Jan 2026 11:00:00 GMT": 0,
	} {
		if got, ok := retryAfter(v, now); !ok || got != want {
			t.Errorf("retryAfter(%q) = %s, %v; want %s", v, got, ok, want)
		}
	}
	if _, ok := retryAfter("soon", now); ok {
		t.Error("retryAfter accepted garbage")
	}
}
