package parser

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// TestWallsOnBenchmarkPages runs the wall scan over the 181 real pages of
// the scrapinghub benchmark (beside the checkout, see benchPagesDir): no
// block it keeps out of the text may be a paragraph of the benchmark's
// reference text, except newsletter plugs, which the reference keeps. It
// logs the verdict of every page found gated or prompting, for review.
func TestWallsOnBenchmarkPages(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: parses 30 MB of pages")
	}
	dir := filepath.Dir(benchPagesDir)
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		t.Skipf("benchmark not found beside the checkout: %v", err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	kinds := map[string]int{}
	var report strings.Builder
	for _, id := range ids {
		body := readGzip(t, filepath.Join(benchPagesDir, id+".html.gz"))
		a, _ := New(Options{}).Parse(truth[id].URL, body)
		kinds[string(a.Paywall.Kind)]++
		if a.Paywall.Kind != "none" {
			fmt.Fprintf(&report, "%s %s %s\n", a.Paywall.Kind, truth[id].URL, strings.Join(a.Paywall.Signals, " "))
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(toUTF8(body)))
		if err != nil {
			t.Fatal(err)
		}
		ld := readLinkedData(doc)
		reference := normalise(truth[id].ArticleBody)
		for n := range scanWalls(doc, &ld).strip {
			text := textOf(n)
			if wordCount(text) < 6 || !strings.Contains(reference, normalise(text)) {
				continue
			}
			if a, _ := classifyAsk(text); a != signupAsk {
				t.Errorf("%s: story text kept out of the text as %s: %q", truth[id].URL, describe(n), text)
			}
		}
	}
	t.Logf("verdicts on %d pages: %v\n%s", len(ids), kinds, report.String())
}

func readGzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// describe names an element by its tag and names, for messages.
func describe(n *html.Node) string {
	return "<" + n.Data + " " + hint(n) + ">"
}
