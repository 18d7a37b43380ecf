package crawler

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

func TestCrawlFollowsLinksAndPublishesEachArticleOnce(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/": listing("/news/a1", "/news/a2", "/news/a1#comments", "/news/a1", "/news/a2?ref=home", "/about",
			"mailto:desk@example.org", "javascript:void(0)", "#top"),
		"/news/a1": story("One", "", "/", "/news/a2"),
		// Two URLs, one canonical article: published once.
		"/news/a2": story("Two paywalled", "/news/a2", "/news/a1"),
		"/about":   listing("/"),
	})

	sum, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	for _, uri := range []string{"/", "/news/a1", "/news/a2", "/news/a2?ref=home", "/about", "/robots.txt"} {
		if n := site.count(uri); n != 1 {
			t.Errorf("%s requested %d times, want 1", uri, n)
		}
	}
	if got := site.pages(); got != 5 {
		t.Errorf("requests for pages = %d, want 5", got)
	}
	for _, ua := range site.userAgents() {
		if ua != testUA {
			t.Errorf("User-Agent = %q, want %q", ua, testUA)
		}
	}

	events := pub.all()
	if len(events) != 2 {
		t.Fatalf("published %d events, want 2: %v", len(events), pub.titles())
	}
	for _, ev := range events {
		if ev.Data.Source != "daily" {
			t.Errorf("%s: Source = %q, want daily", ev.Data.Title, ev.Data.Source)
		}
		if !ev.Data.FetchedAt.Equal(testNow) || !ev.Time.Equal(testNow) {
			t.Errorf("%s: FetchedAt = %v, Time = %v, want %v", ev.Data.Title, ev.Data.FetchedAt, ev.Time, testNow)
		}
		if kind, ok := ev.Kind(); !ok || kind != news.ArticleCreated {
			t.Errorf("%s: type = %q, want a created event", ev.Data.Title, ev.Type)
		}
		if ev.Data.ID == "" || ev.Source != "/newsdesk/sources/daily" {
			t.Errorf("%s: id %q, source %q", ev.Data.Title, ev.Data.ID, ev.Source)
		}
	}
	if titles := pub.titles(); titles["One"] != 1 || titles["Two paywalled"] != 1 {
		t.Errorf("published titles = %v, want One and Two once each", titles)
	}
	want := Summary{Pages: 5, Requests: 6, Articles: 2, Paywalls: 1} // robots.txt is a request
	sum.Elapsed = 0
	if sum != want {
		t.Errorf("summary = %+v, want %+v", sum, want)
	}
}

const robotsPrivate = "User-agent: *\nDisallow: /private/\n"

func robotsSite(t *testing.T, robots string) *testSite {
	return newSite(t, map[string]http.HandlerFunc{
		"/robots.txt":     text(robots),
		"/":               listing("/private/secret", "/news/ok", "/private/secret#again"),
		"/private/secret": story("Secret", ""),
		"/news/ok":        story("OK", ""),
	})
}

func TestCrawlHonoursRobotsTxt(t *testing.T) {
	site := robotsSite(t, robotsPrivate)
	sum, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if n := site.count("/private/secret"); n != 0 {
		t.Errorf("disallowed page requested %d times", n)
	}
	if sum.Skipped != 1 {
		t.Errorf("Skipped = %d, want 1", sum.Skipped)
	}
	if titles := pub.titles(); len(titles) != 1 || titles["OK"] != 1 {
		t.Errorf("published %v, want only OK", titles)
	}
}

func TestCrawlRobotsGroupOfOurAgent(t *testing.T) {
	site := robotsSite(t, "User-agent: newsdesk-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
	sum, _, _, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err == nil {
		t.Fatal("Crawl succeeded, want an error: robots.txt refuses every seed")
	}
	if n := site.pages(); n != 0 {
		t.Errorf("%d pages requested, want none", n)
	}
	if sum.Skipped != 1 {
		t.Errorf("Skipped = %d, want 1 (the seed)", sum.Skipped)
	}
}

func TestCrawlIgnoreRobots(t *testing.T) {
	site := robotsSite(t, robotsPrivate)
	opts := testOptions()
	opts.IgnoreRobots = true
	_, _, pub, err := crawl(t, opts, Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if site.count("/robots.txt") != 0 || site.count("/private/secret") != 1 {
		t.Errorf("requests %v: want no robots.txt and the private page", site.log())
	}
	if titles := pub.titles(); titles["Secret"] != 1 {
		t.Errorf("published %v, want Secret", titles)
	}
}

func TestCrawlIgnoresCollyEnvironment(t *testing.T) {
	// colly.NewCollector would apply these; the crawler must not.
	t.Setenv("COLLY_IGNORE_ROBOTSTXT", "1")
	t.Setenv("COLLY_USER_AGENT", "someone-else")
	t.Setenv("COLLY_ALLOWED_DOMAINS", "example.com")
	t.Setenv("COLLY_MAX_DEPTH", "1")
	t.Setenv("COLLY_PARSE_HTTP_ERROR_RESPONSE", "yes")

	site := robotsSite(t, robotsPrivate)
	sum, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if n := site.count("/private/secret"); n != 0 {
		t.Errorf("robots.txt ignored: disallowed page requested %d times", n)
	}
	if sum.Skipped != 1 {
		t.Errorf("Skipped = %d, want 1", sum.Skipped)
	}
	for _, ua := range site.userAgents() {
		if ua != testUA {
			t.Errorf("User-Agent = %q, want %q", ua, testUA)
		}
	}
	if titles := pub.titles(); titles["OK"] != 1 {
		t.Errorf("published %v, want OK", titles)
	}
}

func TestCrawlDepthLimit(t *testing.T) {
	routes := map[string]http.HandlerFunc{
		"/":   listing("/d1"),
		"/d1": listing("/d2"),
		"/d2": listing("/d3"),
		"/d3": listing("/d4"),
	}
	for _, tc := range []struct {
		maxDepth int
		fetched  []string
		not      string
	}{
		{0, []string{"/", "/d1", "/d2"}, "/d3"}, // the default, 2
		{1, []string{"/", "/d1"}, "/d2"},
		{3, []string{"/", "/d1", "/d2", "/d3"}, "/d4"},
	} {
		site := newSite(t, routes)
		_, _, _, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}, MaxDepth: tc.maxDepth})
		if err != nil {
			t.Fatalf("MaxDepth %d: Crawl: %v", tc.maxDepth, err)
		}
		for _, p := range tc.fetched {
			if site.count(p) != 1 {
				t.Errorf("MaxDepth %d: %s requested %d times, want 1", tc.maxDepth, p, site.count(p))
			}
		}
		if site.count(tc.not) != 0 {
			t.Errorf("MaxDepth %d: %s requested, beyond the limit", tc.maxDepth, tc.not)
		}
	}
}

func TestCrawlIncludeExcludePatterns(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":              listing("/news/a", "/news/video/v", "/about", "/news/video/v#x"),
		"/news/a":        story("A", ""),
		"/news/video/v":  story("Video", ""),
		"/about":         listing(),
		"/section/start": listing(),
	})
	src := Source{
		Name:    "daily",
		Seeds:   []string{site.URL + "/"}, // seeds need not match Include
		Include: []string{`/news/`},
		Exclude: []string{`/video/`},
	}
	sum, _, pub, err := crawl(t, testOptions(), src)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if site.count("/news/video/v") != 0 || site.count("/about") != 0 {
		t.Errorf("refused URLs were requested: %v", site.log())
	}
	if sum.Skipped != 2 {
		t.Errorf("Skipped = %d, want 2", sum.Skipped)
	}
	if titles := pub.titles(); len(titles) != 1 || titles["A"] != 1 {
		t.Errorf("published %v, want only A", titles)
	}
}

func TestCrawlPageErrorsDoNotFailThePass(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":       listing("/news/a", "/news/broken", "/news/gone", "/news/garbled", "/news/bomb"),
		"/news/a": story("A", ""),
		"/news/broken": func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		},
		"/news/garbled": htmlPage(`<html><body>parser-error</body></html>`),
		"/news/bomb":    htmlPage(`<html><body>parser-panic</body></html>`),
	})
	parser := &panickyParser{}
	pub := &memPublisher{}
	sum, err := crawlWith(t, testOptions(), parser, pub, Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if sum.Errors != 3 || sum.Dead != 1 { // 500, parse error, parser panic; the 404 is a dead link
		t.Errorf("Errors = %d, Dead = %d, want 3 and 1 (%s)", sum.Errors, sum.Dead, sum)
	}
	if sum.Articles != 1 || pub.titles()["A"] != 1 {
		t.Errorf("Articles = %d, published %v, want A", sum.Articles, pub.titles())
	}
}

type panickyParser struct{ fakeParser }

func (p *panickyParser) Parse(pageURL string, body []byte) (news.Article, error) {
	if strings.Contains(string(body), "parser-panic") {
		panic("index out of range")
	}
	return p.fakeParser.Parse(pageURL, body)
}

func TestCrawlFailsWhenPublishingFails(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":       listing("/news/a", "/news/b"),
		"/news/a": story("A", ""),
		"/news/b": story("B", ""),
	})
	down := errors.New("jetstream unavailable")
	pub := &memPublisher{err: down}
	sum, err := crawlWith(t, testOptions(), &fakeParser{}, pub, Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if !errors.Is(err, down) {
		t.Fatalf("Crawl error = %v, want the publish error", err)
	}
	if sum.Articles != 0 || sum.Errors < 1 {
		t.Errorf("summary %s: want no articles and at least one error", sum)
	}
}

func TestCrawlTimesOutHangingPage(t *testing.T) {
	released := make(chan struct{})
	site := newSite(t, map[string]http.HandlerFunc{
		"/":       listing("/news/a", "/news/slow"),
		"/news/a": story("A", ""),
		"/news/slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-released:
			}
		},
	})
	t.Cleanup(func() { close(released) }) // runs before the server closes
	opts := testOptions()
	opts.Timeout = 300 * time.Millisecond
	sum, _, pub, err := crawl(t, opts, Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if sum.Errors != 1 {
		t.Errorf("Errors = %d, want 1 (the hanging page)", sum.Errors)
	}
	if pub.titles()["A"] != 1 {
		t.Errorf("published %v, want A", pub.titles())
	}
}

func TestCrawlNoSeedFetched(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{})
	sum, _, _, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/gone"}})
	if err == nil || !strings.Contains(err.Error(), "no seed") {
		t.Fatalf("Crawl error = %v, want no seed could be fetched", err)
	}
	if sum.Errors != 0 || sum.Dead != 1 {
		t.Errorf("Errors = %d, Dead = %d, want the 404 as a dead link", sum.Errors, sum.Dead)
	}
}

func TestCrawlStaysOnAllowedDomains(t *testing.T) {
	other := newSite(t, map[string]http.HandlerFunc{"/x": story("Elsewhere", "")})
	// Both servers listen on 127.0.0.1; "localhost" makes the other one a
	// different domain.
	offsite := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/x"
	site := newSite(t, map[string]http.HandlerFunc{
		"/":        listing(offsite, "/go-away", "/news/a"),
		"/news/a":  story("A", ""),
		"/go-away": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, offsite, http.StatusFound) },
	})
	sum, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if n := other.pages(); n != 0 {
		t.Errorf("off-domain site got %d page requests", n)
	}
	if sum.Errors != 0 || sum.Skipped != 1 {
		t.Errorf("summary %s: want no errors and the redirect skipped", sum)
	}
	if titles := pub.titles(); len(titles) != 1 || titles["A"] != 1 {
		t.Errorf("published %v, want only A", titles)
	}
}

func TestCrawlPageBudget(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":   listing("/a1", "/a2", "/a3", "/a4", "/a5"),
		"/a1": story("1", ""), "/a2": story("2", ""), "/a3": story("3", ""),
		"/a4": story("4", ""), "/a5": story("5", ""),
	})
	opts := testOptions()
	opts.MaxPages = 3
	sum, _, _, err := crawl(t, opts, Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if n := site.pages(); n != 3 {
		t.Errorf("%d pages requested, want the budget of 3", n)
	}
	if sum.Pages != 3 || sum.Articles != 2 {
		t.Errorf("summary %s, want 3 pages and 2 articles", sum)
	}
}

func TestCrawlSkipsNonHTML(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/": listing("/photo.png", "/news/a"),
		"/photo.png": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n<html>not a page</html>"))
		},
		"/news/a": story("A", ""),
	})
	sum, parser, _, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if parser.body(site.URL+"/photo.png") != nil {
		t.Error("the image was handed to the parser")
	}
	if sum.Errors != 0 || sum.Pages != 2 || sum.Articles != 1 {
		t.Errorf("summary %s: want 2 pages, 1 article, no errors", sum)
	}
}

func TestCrawlFeedSeeds(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/rss.xml": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Daily</title>
				<item><title>A</title><link>/news/a</link></item>
				<item><title>B</title><link> /news/b </link></item></channel></rss>`))
		},
		"/atom.xml": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
			w.Write([]byte(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
				<entry><title>C</title><link rel="alternate" href="/news/c"/><link rel="edit" href="/edit/c"/></entry></feed>`))
		},
		"/news/a": story("A", ""), "/news/b": story("B", ""), "/news/c": story("C", ""),
	})
	sum, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/rss.xml", site.URL + "/atom.xml"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if titles := pub.titles(); len(titles) != 3 {
		t.Errorf("published %v, want A, B and C", titles)
	}
	if site.count("/edit/c") != 0 || sum.Errors != 0 {
		t.Errorf("summary %s, requests %v", sum, site.log())
	}
}

func TestCrawlPassesPageBytesAsServed(t *testing.T) {
	latin1 := "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9</title></head><body>Caf\xe9 cr\xe8me</body></html>"
	headerOnly := "<html><head><title>Caf\xe9</title></head><body>Caf\xe9 cr\xe8me</body></html>"
	serve := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
			w.Write([]byte(body))
		}
	}
	site := newSite(t, map[string]http.HandlerFunc{
		"/":            listing("/meta", "/header-only"),
		"/meta":        serve(latin1),
		"/header-only": serve(headerOnly),
	})
	_, parser, _, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if got := string(parser.body(site.URL + "/meta")); got != latin1 {
		t.Errorf("page declaring its charset reached the parser as %q, want the bytes as served", got)
	}
	want := "<html><head><title>Café</title></head><body>Café crème</body></html>"
	if got := string(parser.body(site.URL + "/header-only")); got != want {
		t.Errorf("page with a header-only charset reached the parser as %q, want UTF-8 %q", got, want)
	}
}

func TestCrawlCancelStopsInFlightRequests(t *testing.T) {
	arrived := make(chan struct{})
	released := make(chan struct{})
	site := newSite(t, map[string]http.HandlerFunc{
		"/": listing("/news/hang"),
		"/news/hang": func(w http.ResponseWriter, r *http.Request) {
			close(arrived)
			select {
			case <-r.Context().Done():
			case <-released:
			}
		},
	})
	t.Cleanup(func() { close(released) }) // runs before the server closes
	cancelMidRequest(t, site.URL, arrived, "the hanging request")
}

func TestCrawlCancelStopsPolitenessWait(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":       listing("/news/a", "/news/b"),
		"/news/a": story("A", ""),
		"/news/b": story("B", ""),
	})
	seedParsed := make(chan struct{})
	parser := &fakeParser{onPage: func(pageURL string) {
		if strings.HasSuffix(pageURL, "/") {
			close(seedParsed)
		}
	}}
	opts := testOptions()
	opts.Delay = time.Hour   // the articles wait an hour behind the seed
	opts.IgnoreRobots = true // else the seed would wait an hour behind robots.txt
	c, err := New(opts, parser, &memPublisher{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Crawl(ctx, []Source{{Name: "daily", Seeds: []string{site.URL + "/"}}})
		done <- err
	}()
	waitFor(t, seedParsed, "the seed")
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Crawl error = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Crawl did not return after cancellation")
	}
	if n := site.count("/news/a") + site.count("/news/b"); n != 0 {
		t.Errorf("%d articles requested despite the delay", n)
	}
}

// waitFor bounds a wait so a broken test fails instead of hanging.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("gave up waiting for %s", what)
	}
}

func TestCrawlCancelStopsRobotsFetch(t *testing.T) {
	// colly fetches robots.txt without our context; the transport adds it.
	arrived := make(chan struct{})
	released := make(chan struct{})
	site := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			close(arrived)
			select {
			case <-r.Context().Done():
			case <-released:
			}
		},
		"/": listing(),
	})
	t.Cleanup(func() { close(released) }) // runs before the server closes
	cancelMidRequest(t, site.URL, arrived, "the robots.txt request")
	if n := site.pages(); n != 0 {
		t.Errorf("%d pages requested after cancellation", n)
	}
}

func TestCrawlRefusesOversizedPage(t *testing.T) {
	site := newSite(t, map[string]http.HandlerFunc{
		"/":         listing("/news/big", "/news/a"),
		"/news/big": htmlPage(`<html><body><article data-kind="article">` + strings.Repeat("word ", 1000) + `</article></body></html>`),
		"/news/a":   story("A", ""),
	})
	opts := testOptions()
	opts.MaxBodyBytes = 1000
	sum, parser, pub, err := crawl(t, opts, Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if parser.body(site.URL+"/news/big") != nil {
		t.Error("a truncated page was handed to the parser")
	}
	if sum.Errors != 1 || pub.titles()["A"] != 1 {
		t.Errorf("summary %s, published %v: want 1 error and A", sum, pub.titles())
	}
}

// cancelMidRequest starts a pass whose requests can only end by
// cancellation, cancels it once arrived says the server holds a request,
// and checks that Crawl returns promptly with context.Canceled.
func cancelMidRequest(t *testing.T, siteURL string, arrived <-chan struct{}, what string) {
	t.Helper()
	opts := testOptions()
	opts.Timeout = time.Hour // only cancellation can end the request
	c, err := New(opts, &fakeParser{}, &memPublisher{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Crawl(ctx, []Source{{Name: "daily", Seeds: []string{siteURL + "/"}}})
		done <- err
	}()
	waitFor(t, arrived, what)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Crawl error = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Crawl did not return after cancellation")
	}
}
