package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdesk/api"
	"newsdesk/config"
	"newsdesk/events"
	"newsdesk/indexer/embedded"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// browserCorpus is what the search page shows in the browser test.
func browserCorpus() []news.Article {
	mk := func(path, source, title, text string, day int, pw news.Paywall) news.Article {
		a := news.Article{URL: "https://" + source + ".example/" + path, Source: source, Title: title, Text: text,
			Authors: []string{"Ana Lima"}, Language: "en", Topics: []string{"privacy"},
			Published: time.Date(2024, 3, day, 9, 0, 0, 0, time.UTC), Paywall: pw}
		if a.Paywall.Signals == nil {
			a.Paywall.Signals = []string{}
		}
		a.ID = news.DocID(a.URL)
		return a
	}
	return []news.Article{
		mk("encryption-law", "ledger", "Parliament passes encryption law",
			"The encryption law keeps end-to-end messaging intact, privacy groups said.", 4, news.Paywall{Kind: news.PaywallNone}),
		mk("tracking-fine", "gazette", "Regulator fines ad-tech firm over covert tracking",
			"A privacy regulator fined the firm for covert location tracking. Subscribe to read more.", 5,
			news.Paywall{Detected: true, Kind: news.PaywallHard, Truncated: true, Signals: []string{"prompt:subscribe"}}),
		mk("data-brokers", "ledger", "Data brokers sell location data", brokers, 6, news.Paywall{Kind: news.PaywallNone}),
		// The same wire story at two more outlets, with their own intro.
		mk("wire/data-brokers", "tribune", "Data brokers sell location data",
			"By Ben Okafor, Tribune wire desk.\n\n"+brokers, 6, news.Paywall{Kind: news.PaywallNone}),
		mk("news/data-brokers", "courier", "Data brokers sell location data",
			"From our partners at the wire service.\n\n"+brokers, 7, news.Paywall{Kind: news.PaywallNone}),
	}
}

// brokers is the text of a wire story three outlets carry.
const brokers = "Privacy researchers found brokers selling location data <script>alert(1)</script>. " +
	"The researchers bought a week of precise location records for thousands of phones near a military base " +
	"for less than two hundred dollars, and could follow individual devices from homes to workplaces. " +
	"The brokers said the data was anonymised and sold only for advertising, but the researchers matched " +
	"devices to named people within hours, using nothing more than public property records."

// editedStory is the encryption law story's second revision: its text
// changed after newsdesk first saw it.
func editedStory() news.Article {
	a := browserCorpus()[0]
	a.Revision, a.Changes = 2, []string{news.ChangeText}
	a.Text += " The upper house approved it the next day."
	return a
}

// TestIntegrationBrowserSearchPage drives the search page in a real headless
// Chromium against the real handler on loopback: type a query, see the
// story, apply a filter, see the list change, and keep a screenshot.
func TestIntegrationBrowserSearchPage(t *testing.T) {
	chromium := testenv.Chromium(t)
	idx := browserIndex(t, append(browserCorpus(), editedStory()))
	srv := httptest.NewServer(newAPI(config.Default(), idx, nil))
	defer srv.Close()

	// A bound on a hung browser, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	browser := newBrowser(ctx, t, chromium)

	text := func(sel chromedp.CSS) string {
		t.Helper()
		v, err := chromedp.Run(browser, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return v
	}
	// waitCount waits until the result count reads want: the page loaded.
	waitCount := func(want string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(fmt.Sprintf(`//p[@id="count"][starts-with(normalize-space(.), %q)]`, want))
	}

	// Type a query and submit it with the keyboard. The front page lists
	// the same 5 stories, so the count alone does not show that the results
	// page has loaded: its search box carries the query as an attribute,
	// which typing into the front page's box does not set.
	err := chromedp.Do(browser,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "privacy\r"),
		chromedp.WaitVisible(`//input[@id="q"][@value="privacy"]`),
		waitCount("5 articles"),
	)
	if err != nil {
		t.Fatalf("searching in the browser: %v", err)
	}
	titles := text("section")
	if !strings.Contains(titles, "Parliament passes encryption law") || !strings.Contains(titles, "<script>alert(1)</script>") ||
		strings.Count(titles, "Data brokers sell location data") != 1 {
		t.Errorf("after typing a query, results (the wire story once):\n%s", titles)
	}
	// The edited story has its badge; the wire story names the other
	// outlets when its summary is opened.
	if badge := text(".badge.updated"); badge != "updated: revision 2, text changed" {
		t.Errorf("updated badge = %q", badge)
	}
	err = chromedp.Do(browser,
		chromedp.Click(`//details[@class="copies"]/summary`),
		chromedp.WaitVisible(`//details[@class="copies"]//a`),
	)
	if err != nil {
		t.Fatalf("opening the other outlets: %v", err)
	}
	if copies := text("details.copies"); !strings.Contains(copies, "also at 2 other outlets") ||
		strings.Count(copies, "Data brokers sell location data") != 2 {
		t.Errorf("other outlets:\n%s", copies)
	}

	// Apply a filter with the form: only hard paywalls.
	err = chromedp.Do(browser,
		chromedp.SetValue(chromedp.ID("paywall"), "hard"),
		chromedp.Submit(chromedp.ID("q")),
		waitCount("1 article"),
	)
	if err != nil {
		t.Fatalf("filtering in the browser: %v", err)
	}
	titles = text("section")
	if badge := text(".badge"); !strings.Contains(titles, "Regulator fines ad-tech firm") || strings.Contains(titles, "Parliament") || badge != "truncated: paywall" {
		t.Errorf("after the paywall filter: badge %q, results:\n%s", badge, titles)
	}

	// The applied facet link removes the filter; another adds one.
	err = chromedp.Do(browser,
		chromedp.Click(`//aside//a[@aria-current]`),
		waitCount("5 articles"),
		chromedp.Click(`//aside//a[normalize-space(.)="ledger"]`),
		waitCount("2 articles"),
	)
	if err != nil {
		t.Fatalf("following facet links: %v", err)
	}
	if titles = text("section"); strings.Contains(titles, "Regulator") || !strings.Contains(titles, "Data brokers") {
		t.Errorf("after the source facet, results:\n%s", titles)
	}

	saveScreenshot(t, browser, "search-page.png")
}

// browserIndex is an embedded index in a temporary folder holding docs,
// refreshed so the page finds them; it is closed when the test ends.
func browserIndex(t *testing.T, docs []news.Article) *embedded.Index {
	t.Helper()
	idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	for i, err := range idx.Store(t.Context(), docs) {
		if err != nil {
			t.Fatalf("storing doc %d: %v", i, err)
		}
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	return idx
}

// newBrowser starts a headless Chromium that lives until ctx ends (the
// test's bound on a hung browser) or the test does, with a profile of its
// own and the background traffic (updates, sync, QUIC) turned off.
func newBrowser(ctx context.Context, t *testing.T, chromium string) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 900),
	)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelBrowser)
	return browser
}

// saveScreenshot keeps a full-page PNG of the browser's page among the test
// artifacts (NEWSDESK_ARTIFACTS in CI), for a person to look at.
func saveScreenshot(t *testing.T, browser context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(browser, chromedp.FullScreenshot(100)) // 100: PNG, not JPEG
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := testenv.ArtifactPath(t, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// TestIntegrationBrowserNoResultsAndPaging drives the guiding parts of the
// page in Chromium: a search with a filter that leaves nothing suggests
// dropping it and keeps the facets; following the suggestion finds the
// story; pages say "1–2 of 5" and go forward and back; on a phone-sized
// window the results come before the facets. Screenshots are kept.
func TestIntegrationBrowserNoResultsAndPaging(t *testing.T) {
	chromium := testenv.Chromium(t)
	idx := browserIndex(t, browserCorpus())
	srv := httptest.NewServer(newAPI(config.Default(), idx, nil))
	defer srv.Close()

	// A bound on a hung browser, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	browser := newBrowser(ctx, t, chromium)
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(browser, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return v
	}
	waitCount := func(want string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(fmt.Sprintf(`//p[@id="count"][normalize-space(.)=%q]`, want))
	}
	screenshot := func(name string) { saveScreenshot(t, browser, name) }

	// Nothing by gazette says encryption: the page says what to try.
	err := chromedp.Do(browser,
		chromedp.Navigate(srv.URL+"/?q=encryption&source=gazette"),
		waitCount("0 articles"),
	)
	if err != nil {
		t.Fatalf("searching with no results: %v", err)
	}
	if none := text("#none"); !strings.Contains(none, "No articles match “encryption”") ||
		!strings.Contains(none, "Search without the source filter (gazette)") || !strings.Contains(none, "match 1 article") {
		t.Errorf("no-results page:\n%s", none)
	}
	if facets := text("aside"); !strings.Contains(facets, "ledger (1)") {
		t.Errorf("no-results page lost the facets:\n%s", facets)
	}
	screenshot("search-no-results.png")
	err = chromedp.Do(browser,
		chromedp.Click(`//div[@id="none"]//a[contains(., "without the source filter")]`),
		waitCount("1 article"),
	)
	if err != nil {
		t.Fatalf("following the suggestion: %v", err)
	}
	if titles := text("section"); !strings.Contains(titles, "Parliament passes encryption law") {
		t.Errorf("after dropping the filter:\n%s", titles)
	}

	// Two at a time, every copy: 1–2, 3–4 and back.
	err = chromedp.Do(browser,
		chromedp.Navigate(srv.URL+"/?q=privacy&size=2&group=false&sort=date"),
		waitCount("1–2 of 5"),
		chromedp.Click(`//nav//a[@rel="next"]`),
		waitCount("3–4 of 5"),
	)
	if err != nil {
		t.Fatalf("paging forward: %v", err)
	}
	screenshot("search-page-2.png")
	err = chromedp.Do(browser,
		chromedp.Click(`//nav//a[@rel="prev"]`),
		waitCount("1–2 of 5"),
	)
	if err != nil {
		t.Fatalf("paging back: %v", err)
	}

	// On a phone the results come first.
	if err := chromedp.Do(browser, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatalf("phone viewport: %v", err)
	}
	top := func(sel string) float64 {
		t.Helper()
		v, err := chromedp.Run(browser, chromedp.Evaluate[float64](`document.querySelector(`+"`"+sel+"`"+`).getBoundingClientRect().top`))
		if err != nil {
			t.Fatalf("position of %s: %v", sel, err)
		}
		return v
	}
	resultsTop, facetsTop := top("section.results"), top("aside")
	if resultsTop >= facetsTop {
		t.Errorf("on a phone the results start at %v, below the facets at %v", resultsTop, facetsTop)
	}
	screenshot("search-phone.png")
}

// TestIntegrationBrowserSavedSearchAndExport drives the page's "Save as
// alert" form and export link in Chromium, with a watch store on a real
// NATS server: the saved search is confirmed on the page and listed by GET
// /api/watches with its query and filter; the page's CSV export link
// gives the header and the search's rows. Screenshots are kept.
func TestIntegrationBrowserSavedSearchAndExport(t *testing.T) {
	chromium := testenv.Chromium(t)
	// A bound on a hung browser, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := config.Default()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	bus, err := events.Connect(ctx, busOptions(cfg, testenv.NATS(t), "test", logger))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	idx := browserIndex(t, browserCorpus())
	srv := httptest.NewServer(newAPIWatching(cfg, idx, newWatchStore(ctx, cfg, bus, logger), logger))
	defer srv.Close()

	browser := newBrowser(ctx, t, chromium)
	screenshot := func(name string) { saveScreenshot(t, browser, name) }

	// Search ledger's privacy stories and save the search as an alert.
	err = chromedp.Do(browser,
		chromedp.Navigate(srv.URL+"/?q=privacy&source=ledger"),
		chromedp.WaitVisible(`//p[@id="count"][normalize-space(.)="2 articles"]`),
		chromedp.SendKeys(chromedp.ID("alert-name"), "ledger-privacy"),
		chromedp.Click(`//form[@id="save-alert"]//button`),
		chromedp.WaitVisible(chromedp.ID("saved")),
	)
	if err != nil {
		t.Fatalf("saving the search as an alert: %v", err)
	}
	note, err := chromedp.Run(browser, chromedp.Text(chromedp.ID("saved")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "Saved as the alert “ledger-privacy”") || !strings.Contains(note, "newsdesk.alert.ledger-privacy") {
		t.Errorf("saved note: %q", note)
	}
	screenshot("search-saved-alert.png")
	var listed struct{ Watches []api.SavedWatch }
	decodeGET(ctx, t, srv.URL+"/api/watches", &listed)
	if len(listed.Watches) != 1 || listed.Watches[0].Name != "ledger-privacy" || listed.Watches[0].Query != "privacy" ||
		!slices.Equal(listed.Watches[0].Filters.Source, []string{"ledger"}) {
		t.Errorf("GET /api/watches after saving from the page: %+v", listed.Watches)
	}

	// The page (back on the same search) links its export; the CSV has
	// the header and the two stories.
	href, err := chromedp.Run(browser, chromedp.AttributeValue(chromedp.ID("export-csv"), "href"))
	if err != nil || !href.Exists {
		t.Fatalf("the page has no CSV export link: %v", err)
	}
	screenshot("search-export.png")
	rows := getCSV(ctx, t, srv.URL+href.Value)
	if len(rows) != 3 || rows[0][0] != "id" || !slices.Contains(rows[0], "title") {
		t.Fatalf("export from %s: want a header and 2 rows, got %q", href.Value, rows)
	}
	title := slices.Index(rows[0], "title")
	got := []string{rows[1][title], rows[2][title]}
	slices.Sort(got)
	if want := []string{"Data brokers sell location data", "Parliament passes encryption law"}; !slices.Equal(got, want) {
		t.Errorf("exported titles %q, want %q", got, want)
	}
}

// decodeGET decodes the JSON answer of a GET into v.
func decodeGET(ctx context.Context, t *testing.T, url string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(fetchPage(ctx, t, url)), v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// getCSV reads the CSV answer of a GET.
func getCSV(ctx context.Context, t *testing.T, url string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(fetchPage(ctx, t, url))).ReadAll()
	if err != nil {
		t.Fatalf("GET %s: reading CSV: %v", url, err)
	}
	return rows
}
