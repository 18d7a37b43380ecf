package parser

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/news"
)

// siteDir holds the pages of the demo and of the end-to-end test of the
// whole pipeline; the parser test checks that they say what
// cmd/newsdesk/demosite.md promises.
const siteDir = "../cmd/newsdesk/demosite"

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSitePages(t *testing.T) {
	if _, err := os.Stat(siteDir); err != nil {
		t.Skipf("%s not present", siteDir)
	}
	pages := []struct {
		path      string
		title     string
		kind      news.PaywallKind
		word      string
		fixtureOf string
	}{
		{"articles/meta-netflix.html", "Lawsuit Alleges Meta Allowed Netflix Access to Facebook Users’ Messages", news.PaywallSoft, "Grabert", "seed-meta-netflix.html"},
		{"articles/encryption-law.html", "Parliament Passes Encryption Law That Keeps End-to-End Messaging Intact", news.PaywallNone, "Harbourne", "free-encryption-law.html"},
		{"articles/tracking-fine.html", "Regulator Fines Ad-Tech Firm €18 Million Over Covert Location Tracking", news.PaywallHard, "Brightwater", "hard-tracking-fine.html"},
		{"private/secret-memo.html", "Leaked Memo Outlines Newsroom Restructuring Plan", news.PaywallNone, "Quillfeather", ""},
	}
	p := New(Options{})
	texts := map[string]string{}
	var err error
	for _, pg := range pages {
		// The site's articles are copies of these fixtures (kept equal by
		// cmd/newsdesk's TestDemoSiteStoriesAreTheParserFixtures); the
		// rest lies only in the site folder.
		var body []byte
		if pg.fixtureOf != "" {
			body = readFixture(t, pg.fixtureOf)
		} else if body, err = os.ReadFile(filepath.Join(siteDir, pg.path)); err != nil {
			t.Fatal(err)
		}
		a, err := p.Parse("http://127.0.0.1:8080/"+pg.path, body)
		if err != nil {
			t.Errorf("%s: Parse: %v", pg.path, err)
			continue
		}
		if a.Title != pg.title || a.Paywall.Kind != pg.kind || a.Paywall.Truncated != (pg.kind == news.PaywallHard) {
			t.Errorf("%s: title %q, paywall %+v; want %q, %s", pg.path, a.Title, a.Paywall, pg.title, pg.kind)
		}
		if want := "http://127.0.0.1:8080/" + pg.path; a.CanonicalURL != want {
			t.Errorf("%s: CanonicalURL = %q, want %q (relative canonicals keep ids on the test server)", pg.path, a.CanonicalURL, want)
		}
		texts[pg.path] = a.Text
	}
	for _, pg := range pages {
		for path, text := range texts {
			if has := strings.Contains(text, pg.word); has != (path == pg.path) {
				t.Errorf("word %q in the text of %s: %v", pg.word, path, has)
			}
		}
	}
	index, err := os.ReadFile(filepath.Join(siteDir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Parse("http://127.0.0.1:8080/index.html", index); !errors.Is(err, news.ErrNotArticle) {
		t.Errorf("index.html: Parse error = %v, want news.ErrNotArticle", err)
	}
}
