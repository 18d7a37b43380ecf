package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/testenv"
)

// TestCronPassesSeeEditsWhateverTheDiscoveryPath runs three `newsdesk
// crawl --once` on a real NATS server (the revisit queue and the negative
// cache in its key-value bucket) over three sources that each find one
// story a different way: a feed dating it by publication only, a news
// sitemap, and a section page. The second pass revisits all three with
// conditional GETs and does not ask for the dead link again; after the
// three stories are edited the third emits three updates.
func TestCronPassesSeeEditsWhateverTheDiscoveryPath(t *testing.T) {
	dir := buildSite(t)
	servers := make([]*httptest.Server, 3)
	for i := range servers {
		servers[i] = httptest.NewServer(http.FileServer(http.Dir(dir)))
		t.Cleanup(servers[i].Close)
	}
	feedSite, mapSite, linkSite := servers[0].URL, servers[1].URL, servers[2].URL
	now := time.Now().UTC()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("feed.xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title><item><title>Meta</title><link>`+
		feedSite+`/articles/meta-netflix.html</link><pubDate>`+now.Add(-time.Hour).Format(time.RFC1123Z)+`</pubDate></item></channel></rss>`)
	write("news-sitemap.xml", `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>`+
		mapSite+`/articles/encryption-law.html</loc><lastmod>`+now.Add(-time.Hour).Format(time.RFC3339)+`</lastmod><news:news><news:publication_date>`+
		now.Add(-2*time.Hour).Format(time.RFC3339)+`</news:publication_date><news:title>Law</news:title></news:news></url></urlset>`)
	write("links.html", `<!DOCTYPE html><html><head><title>Policy | The Privacy Ledger</title></head><body><h1>Policy</h1>`+
		`<a href="articles/tracking-fine.html">Fine</a> <a href="articles/gone.html">Gone</a></body></html>`)

	natsURL := testenv.NATS(t)
	cfgPath := writeConfig(t, fmt.Sprintf(`
data_dir: %s
nats:
  url: %s
crawl:
  delay: 0s
  allow_private_networks: true
sources:
  - name: feedonly
    feeds: [%s/feed.xml]
    max_depth: 1
  - name: sitemaponly
    sitemaps: [%s/news-sitemap.xml]
    max_depth: 1
  - name: linksonly
    seeds: [%s/links.html]
    max_depth: 1
`, t.TempDir(), natsURL, feedSite, mapSite, linkSite))

	crawlOnce := func(pass string, want ...string) string {
		t.Helper()
		code, stdout, stderr := runMain(t, "", "crawl", "--once", "--config", cfgPath)
		if code != exitOK {
			t.Fatalf("%s: exit %d, stdout %q\nstderr: %s", pass, code, stdout, stderr)
		}
		for _, w := range want {
			if !regexp.MustCompile(w).MatchString(stdout) {
				t.Errorf("%s: stdout %q does not match %s", pass, stdout, w)
			}
		}
		return stdout
	}
	crawlOnce("first pass", `articles=3 updated=0`, ` dead=1 errors=0 `)
	crawlOnce("second pass", `conditional=3 notmodified=3 articles=0 updated=0 unchanged=3`, ` dead=0 errors=0 `, `\(.*\bdead=1\b.*\)`)

	for page, edit := range map[string][2]string{
		"articles/meta-netflix.html":   {"Explosive court documents", "Explosive sealed court documents"},
		"articles/encryption-law.html": {"Parliament on Thursday", "Parliament on Friday"},
		"articles/tracking-fine.html":  {"on Tuesday fined", "on Wednesday fined"},
	} {
		path := filepath.Join(dir, page)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(b), edit[0], edit[1], 1)
		if edited == string(b) {
			t.Fatalf("the edit of %s changed nothing", page)
		}
		write(page, edited)
		later := time.Now().Add(time.Hour) // Last-Modified has one-second resolution
		if err := os.Chtimes(path, later, later); err != nil {
			t.Fatal(err)
		}
	}
	crawlOnce("third pass", `articles=3 updated=3 unchanged=0`)
}
