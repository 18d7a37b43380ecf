package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoCrawlsTheBundledSiteAndServesSearch runs `newsdesk demo` as a
// newcomer would and searches what it serves: the three stories with their
// paywalls, the edited one as edited, the robots.txt-forbidden page absent,
// and the example watch's alert printed.
func TestDemoCrawlsTheBundledSiteAndServesSearch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- Main(runCtx, []string{"demo", "--addr", "127.0.0.1:0", "--data", t.TempDir()},
			IO{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr})
	}()
	searchAt := regexp.MustCompile(`search at (http://\S+)`)
	pollUntil(ctx, t, "the demo to serve search", func() bool {
		select {
		case code := <-exit:
			t.Fatalf("newsdesk demo exited %d:\n%s%s", code, stdout, stderr)
		default:
		}
		return searchAt.MatchString(stdout.String())
	})
	base := searchAt.FindStringSubmatch(stdout.String())[1]

	if res := searchAPIFor(t, base, url.Values{}); res.Total != 3 {
		t.Errorf("the demo index holds %d articles, want 3", res.Total)
	}
	for word, paywall := range map[string]string{"Grabert": "soft", "Harbourne": "none", "Brightwater": "hard"} {
		res := searchAPIFor(t, base, url.Values{"q": {word}})
		if res.Total != 1 || string(res.Hits[0].Paywall.Kind) != paywall {
			t.Errorf("search %q: %+v, want one %s-paywall hit", word, res.Hits, paywall)
		}
	}
	if res := searchAPIFor(t, base, url.Values{"q": {"Quillfeather"}}); res.Total != 0 {
		t.Errorf("the page robots.txt forbids is searchable: %+v", res.Hits)
	}
	res := searchAPIFor(t, base, url.Values{"edited": {"true"}})
	if res.Total != 1 || !strings.Contains(res.Hits[0].URL, demoEditPath) {
		t.Errorf("edited=true: %+v, want the edited story", res.Hits)
	}
	pollUntil(ctx, t, "the example watch's alert", func() bool {
		return strings.Contains(stdout.String(), "alert: watch meta-netflix matched")
	})
	stop()
	if code := <-exit; code != exitOK {
		t.Errorf("newsdesk demo exited %d after Ctrl-C:\n%s", code, stderr)
	}
	t.Logf("demo output:\n%s", stdout)
}

// TestDemoSiteStoriesAreTheParserFixtures keeps the bundled stories from
// drifting away from the fixtures whose extraction the parser tests pin.
func TestDemoSiteStoriesAreTheParserFixtures(t *testing.T) {
	files := map[string]string{
		"articles/meta-netflix.html":   "../../parser/testdata/seed-meta-netflix.html",
		"articles/encryption-law.html": "../../parser/testdata/free-encryption-law.html",
		"articles/tracking-fine.html":  "../../parser/testdata/hard-tracking-fine.html",
	}
	for bundled, fixture := range files {
		got, err := demoSite.ReadFile(filepath.ToSlash(filepath.Join("demosite", bundled)))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(fixture)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("demosite/%s differs from %s: copy it again", bundled, fixture)
		}
	}
}
