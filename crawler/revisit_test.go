package crawler

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/news"
)

// liveSite is a publisher whose pages a test rewrites between passes.
// Stories carry an ETag and Last-Modified and answer conditional GETs
// with 304; every request's validators are logged.
type liveSite struct {
	*testSite
	mu          sync.Mutex
	pages       map[string]livePage
	conditional map[string]int // path -> requests with If-None-Match or If-Modified-Since
	notModified map[string]int // path -> 304s served
	arrivals    map[string][]time.Time
}

type livePage struct {
	contentType string
	body        string
	story       bool
}

func newLiveSite(t *testing.T) *liveSite {
	l := &liveSite{pages: map[string]livePage{}, conditional: map[string]int{}, notModified: map[string]int{}, arrivals: map[string][]time.Time{}}
	l.testSite = newSite(t, map[string]http.HandlerFunc{})
	l.testSite.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.testSite.mu.Lock()
		l.testSite.requests = append(l.testSite.requests, r.URL.RequestURI())
		l.testSite.mu.Unlock()
		l.serve(w, r)
	})
	return l
}

func (l *liveSite) set(path, contentType, body string, story bool) {
	l.mu.Lock()
	l.pages[path] = livePage{contentType, body, story}
	l.mu.Unlock()
}

func (l *liveSite) story(path, text string) {
	l.set(path, "text/html; charset=utf-8", storyBody("Story "+path, text), true)
}

func (l *liveSite) listing(path string, hrefs ...string) {
	l.set(path, "text/html; charset=utf-8", `<html><head><title>Section</title></head><body>`+anchors(hrefs)+`</body></html>`, false)
}

func (l *liveSite) serve(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	l.arrivals[r.URL.Path] = append(l.arrivals[r.URL.Path], time.Now())
	pg, ok := l.pages[r.URL.Path]
	cond := r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != ""
	if cond {
		l.conditional[r.URL.Path]++
	}
	etag := fmt.Sprintf(`"%x"`, news.DocID(pg.body))
	fresh := ok && pg.story && r.Header.Get("If-None-Match") == etag
	if fresh {
		l.notModified[r.URL.Path]++
	}
	l.mu.Unlock()
	switch {
	case !ok:
		http.NotFound(w, r)
	case fresh:
		w.WriteHeader(http.StatusNotModified)
	default:
		if pg.story {
			w.Header().Set("ETag", etag)
		}
		w.Header().Set("Content-Type", pg.contentType)
		fmt.Fprint(w, pg.body)
	}
}

func (l *liveSite) counts(path string) (conditional, notModified int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conditional[path], l.notModified[path]
}

func rss(items ...string) string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>` + strings.Join(items, "") + `</channel></rss>`
}

func rssItem(link string, pub time.Time) string {
	return `<item><title>x</title><link>` + link + `</link><pubDate>` + pub.Format(time.RFC1123Z) + `</pubDate></item>`
}

func newsSitemap(urls ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">` +
		strings.Join(urls, "") + `</urlset>`
}

func sitemapURL(loc string, lastmod, published time.Time) string {
	return `<url><loc>` + loc + `</loc><lastmod>` + lastmod.Format(time.RFC3339) + `</lastmod><news:news><news:publication_date>` +
		published.Format(time.RFC3339) + `</news:publication_date><news:title>x</news:title></news:news></url>`
}

// offTopicParser is fakeTextParser that calls pages saying "offtopic" off
// the desk's topics.
type offTopicParser struct{ fakeTextParser }

func (p *offTopicParser) Parse(pageURL string, body []byte) (news.Article, error) {
	a, err := p.fakeTextParser.Parse(pageURL, body)
	if err == nil && strings.Contains(string(body), "offtopic") {
		return a, ErrOffTopic
	}
	return a, err
}

// clockedCrawl runs passes of one source at the times a test sets.
type clockedCrawl struct {
	t      *testing.T
	opts   Options
	clock  time.Time
	src    Source
	parser PageParser
}

var revisitT0 = time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)

func newClockedCrawl(t *testing.T, src Source) *clockedCrawl {
	c := &clockedCrawl{t: t, opts: testOptions(), src: src, parser: &offTopicParser{}}
	c.opts.State = newMemState()
	c.opts.Now = func() time.Time { return c.clock }
	return c
}

// at runs one pass at T0+d.
func (c *clockedCrawl) at(d time.Duration) (Summary, []news.ArticleEvent) {
	c.t.Helper()
	c.clock = revisitT0.Add(d)
	pub := &memPublisher{}
	sum, err := crawlWith(c.t, c.opts, c.parser, pub, c.src)
	if err != nil {
		c.t.Fatalf("pass at T0+%s: %v", d, err)
	}
	return sum, pub.all()
}

// wantUpdate checks that a pass emitted exactly one update, of the text.
func wantUpdate(t *testing.T, when string, sum Summary, evs []news.ArticleEvent) {
	t.Helper()
	if len(evs) != 1 || sum.Updated != 1 {
		t.Fatalf("%s: %s, %d events; want the edit as one update", when, sum, len(evs))
	}
	if k, _ := evs[0].Kind(); k != news.ArticleUpdated || !slices.Equal(evs[0].Data.Changes, []string{news.ChangeText}) {
		t.Errorf("%s: event %s with changes %v; want updated [text]", when, k, evs[0].Data.Changes)
	}
}

// A feed dates its items by publication only: the edit is found by the
// revisit schedule, not by the feed.
func TestRevisitFeedOnlyStoryEditIsSeen(t *testing.T) {
	site := newLiveSite(t)
	site.story("/news/a", "First text.")
	site.set("/feed.xml", "application/rss+xml", rss(rssItem(site.URL+"/news/a", revisitT0.Add(-time.Hour))), false)
	c := newClockedCrawl(t, Source{Name: "feed", Feeds: []string{site.URL + "/feed.xml"}})

	if sum, evs := c.at(0); len(evs) != 1 || sum.Requests != 3 {
		t.Fatalf("first pass: %s; want the story created in 3 requests (robots.txt, feed, story)", sum)
	}
	// 7h on, the story is due (every pass while young): a conditional
	// GET, answered 304.
	sum, evs := c.at(7 * time.Hour)
	if len(evs) != 0 || sum.Requests != 3 || sum.Conditional != 1 || sum.NotModified != 1 || sum.RevisitsDue != 1 || sum.Revisits != 1 {
		t.Fatalf("pass at 7h: %s; want one conditional revisit answered 304", sum)
	}
	// Unchanged once and 7h old: next revisit in 2h (twice the hourly
	// interval). At 8h it is not due: not requested at all.
	before := site.count("/news/a")
	sum, _ = c.at(8 * time.Hour)
	if site.count("/news/a") != before || sum.Skips.NotDue != 1 || sum.Requests != 2 {
		t.Fatalf("pass at 8h: %s; the story was requested though not due", sum)
	}
	site.story("/news/a", "Corrected text.")
	sum, evs = c.at(9 * time.Hour)
	wantUpdate(t, "pass at 9h", sum, evs)
}

// A news sitemap: lastmod wins over the publication date, for the age
// limit and as the hint that a known story changed.
func TestRevisitSitemapOnlyLastmodHintsAndAge(t *testing.T) {
	site := newLiveSite(t)
	site.story("/news/a", "First text.")
	site.story("/news/old-but-edited", "Old story.")
	site.story("/news/ancient", "Ancient story.")
	sitemap := func(aMod time.Time) {
		site.set("/news-sitemap.xml", "application/xml", newsSitemap(
			sitemapURL(site.URL+"/news/a", aMod, revisitT0.Add(-2*time.Hour)),
			// published 5 days ago (beyond sitemap_max_age), edited an hour ago
			sitemapURL(site.URL+"/news/old-but-edited", revisitT0.Add(-time.Hour), revisitT0.Add(-5*24*time.Hour)),
			sitemapURL(site.URL+"/news/ancient", revisitT0.Add(-10*24*time.Hour), revisitT0.Add(-10*24*time.Hour)),
		), false)
	}
	sitemap(revisitT0.Add(-time.Hour))
	c := newClockedCrawl(t, Source{Name: "maps", Sitemaps: []string{site.URL + "/news-sitemap.xml"}})

	sum, evs := c.at(0)
	if len(evs) != 2 || site.count("/news/old-but-edited") != 1 || site.count("/news/ancient") != 0 || sum.Skips.TooOld != 1 {
		t.Fatalf("first pass: %s, %d events; want a and old-but-edited created, ancient counted as too old", sum, len(evs))
	}
	sum, _ = c.at(7 * time.Hour) // revisited (young), unchanged: next due at 9h
	if sum.NotModified != 2 {
		t.Fatalf("pass at 7h: %s; want both stories revisited with a 304", sum)
	}
	// Edited at 8h, lastmod says so: revisited at 8h30, before it is due.
	site.story("/news/a", "Corrected text.")
	sitemap(revisitT0.Add(8 * time.Hour))
	sum, evs = c.at(8*time.Hour + 30*time.Minute)
	wantUpdate(t, "pass at 8h30", sum, evs)
	if sum.Revisits != 1 || sum.Skips.NotDue != 1 {
		t.Errorf("pass at 8h30: %s; want one hinted revisit and the other story not due", sum)
	}
}

// A story found through a section page that no longer links to it is
// still revisited, and its edit seen.
func TestRevisitLinksOnlyStoryOffTheFrontPage(t *testing.T) {
	site := newLiveSite(t)
	site.listing("/", "/news/a")
	site.story("/news/a", "First text.")
	c := newClockedCrawl(t, Source{Name: "links", Seeds: []string{site.URL + "/"}})
	if _, evs := c.at(0); len(evs) != 1 {
		t.Fatalf("first pass: %d events, want 1", len(evs))
	}
	site.listing("/", "/news/b")
	site.story("/news/b", "Another story.")
	site.story("/news/a", "Corrected text.")
	sum, evs := c.at(30 * time.Minute)
	if len(evs) != 2 || sum.Updated != 1 || sum.Revisits != 1 {
		t.Fatalf("second pass: %s, %d events; want b created and a's edit as an update", sum, len(evs))
	}
	// A due revisit is fetched for itself: a's links are not followed.
	site.story("/news/a", "Corrected text. "+`</p><a href="/news/c">c</a><p>`)
	site.story("/news/c", "Linked from a.")
	c.at(time.Hour)
	if n := site.count("/news/c"); n != 0 {
		t.Errorf("/news/c requested %d times from a revisit's links", n)
	}
}

// Revisits are bounded per pass, the most overdue first, and new stories
// are fetched whatever the bound.
func TestRevisitBoundedPerPassNewStoriesFirst(t *testing.T) {
	site := newLiveSite(t)
	old := []string{"/news/a", "/news/b", "/news/c", "/news/d", "/news/e"}
	site.listing("/", old...)
	for _, p := range old {
		site.story(p, "Text of "+p)
	}
	c := newClockedCrawl(t, Source{Name: "bounded", Seeds: []string{site.URL + "/"}})
	c.opts.Revisit.MaxPerPass = 2
	c.at(0)
	site.listing("/", "/news/new")
	site.story("/news/new", "New story.")
	sum, evs := c.at(time.Hour)
	if len(evs) != 1 || evs[0].Data.Title != "Story /news/new" || sum.RevisitsDue != 5 || sum.Revisits != 2 || sum.Skips.Budget != 3 {
		t.Fatalf("second pass: %s, %d events; want the new story, 2 of 5 due revisits, 3 left for the budget", sum, len(evs))
	}
	var done []string
	for _, p := range old {
		if site.count(p) == 2 {
			done = append(done, p)
		}
	}
	c.at(2 * time.Hour)
	for _, p := range done {
		if n := site.count(p); n != 2 {
			t.Errorf("%s revisited again (%d requests) before the stories left waiting", p, n)
		}
	}
}

// An off-topic article is remembered with its validators and revisited
// rarely and conditionally.
func TestRevisitOffTopicIsConditionalAndRare(t *testing.T) {
	site := newLiveSite(t)
	site.listing("/", "/news/sport")
	site.set("/news/sport", "text/html; charset=utf-8", storyBody("Sport", "offtopic match report"), true)
	c := newClockedCrawl(t, Source{Name: "offtopic", Seeds: []string{site.URL + "/"}})
	if sum, _ := c.at(0); sum.OffTopic != 1 {
		t.Fatalf("first pass: %s, want 1 off-topic", sum)
	}
	if sum, _ := c.at(time.Hour); site.count("/news/sport") != 1 || sum.Skips.NotDue != 1 {
		t.Fatalf("pass an hour on: %s; the off-topic story was fetched again", sum)
	}
	sum, _ := c.at(DefaultRevisitOffTopicEvery + time.Hour)
	cond, notMod := site.counts("/news/sport")
	if site.count("/news/sport") != 2 || cond != 1 || notMod != 1 || sum.NotModified != 1 {
		t.Fatalf("pass a week on: %s; server saw %d conditional requests and sent %d 304s, want 1 and 1", sum, cond, notMod)
	}
}

// A 404 is a dead link, not an error, and is not asked for again until
// its TTL has passed; an article's chrome links are not followed.
func TestDeadLinksRememberedAndChromeSkipped(t *testing.T) {
	site := newLiveSite(t)
	site.listing("/", "/news/a", "/missing")
	site.set("/news/a", "text/html; charset=utf-8", `<html><head><title>A</title></head><body><article data-kind="article"><p>A.</p></article>`+
		anchors([]string{"/about", "/login.html", "/careers/engineering", "/news/b"})+`</body></html>`, true)
	site.story("/news/b", "B.")
	c := newClockedCrawl(t, Source{Name: "dead", Seeds: []string{site.URL + "/"}})

	sum, _ := c.at(0)
	if sum.Dead != 1 || sum.Errors != 0 || sum.Skips.Chrome != 3 || site.count("/news/b") != 1 {
		t.Fatalf("first pass: %s; want the 404 as dead=1 errors=0, 3 chrome links skipped, /news/b followed", sum)
	}
	for _, p := range []string{"/about", "/login.html", "/careers/engineering"} {
		if site.count(p) != 0 {
			t.Errorf("chrome link %s requested", p)
		}
	}
	sum, _ = c.at(time.Hour)
	if site.count("/missing") != 1 || sum.Skips.Dead != 1 || sum.Dead != 0 {
		t.Fatalf("second pass: %s; /missing requested %d times, want the 404 remembered", sum, site.count("/missing"))
	}
	c.at(DefaultDeadLinkTTL + 2*time.Hour)
	if site.count("/missing") != 2 {
		t.Errorf("/missing requested %d times after its TTL, want it asked again", site.count("/missing"))
	}

	// Configured to follow chrome links: they are fetched.
	c2 := newClockedCrawl(t, Source{Name: "chrome", Seeds: []string{site.URL + "/"}})
	c2.opts.FollowChromeLinks = true
	c2.at(0)
	if site.count("/about") != 1 {
		t.Errorf("/about requested %d times with FollowChromeLinks, want 1", site.count("/about"))
	}
}

// robots.txt passes the politeness gate: its Crawl-delay spaces the first
// page from it.
func TestRobotsCrawlDelayAppliesToFirstPage(t *testing.T) {
	site := newLiveSite(t)
	site.set("/robots.txt", "text/plain", "User-agent: *\nCrawl-delay: 1\n", false)
	site.listing("/")
	_, _, _, err := crawl(t, testOptions(), Source{Name: "slow", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	site.mu.Lock()
	robots, first := site.arrivals["/robots.txt"], site.arrivals["/"]
	site.mu.Unlock()
	if len(robots) != 1 || len(first) != 1 {
		t.Fatalf("robots.txt requested %d times, / %d times; want 1 each", len(robots), len(first))
	}
	if gap := first[0].Sub(robots[0]); gap < time.Second {
		t.Errorf("first page %s after robots.txt, want at least its Crawl-delay of 1s", gap)
	}
}

// The adaptive intervals, by age and streak.
func TestRevisitPolicyIntervals(t *testing.T) {
	pol, err := RevisitPolicy{}.withDefaults(1000)
	if err != nil {
		t.Fatal(err)
	}
	born := revisitT0.Unix()
	for _, tc := range []struct {
		age    time.Duration
		streak int
		off    bool
		want   time.Duration
	}{
		{time.Hour, 5, false, 0},
		{7 * time.Hour, 0, false, time.Hour},
		{7 * time.Hour, 1, false, 2 * time.Hour},
		{7 * time.Hour, 9, false, 4 * time.Hour}, // MaxBackoff
		{7 * time.Hour, -1, false, 30 * time.Minute},
		{3 * 24 * time.Hour, 0, false, 24 * time.Hour},
		{40 * 24 * time.Hour, 0, false, 7 * 24 * time.Hour},
		{time.Hour, 0, true, 7 * 24 * time.Hour},
	} {
		e := revisitEntry{Born: born, Streak: tc.streak, OffTopic: tc.off}
		if got := pol.interval(e, revisitT0.Add(tc.age)); got != tc.want {
			t.Errorf("age %s streak %d offtopic %t: interval %s, want %s", tc.age, tc.streak, tc.off, got, tc.want)
		}
	}
	if _, err := (RevisitPolicy{YoungFor: 72 * time.Hour}).withDefaults(10); err == nil {
		t.Error("YoungFor beyond FreshFor accepted")
	}
	if _, err := (RevisitPolicy{MaxPerPass: -1}).withDefaults(10); err == nil {
		t.Error("negative MaxPerPass accepted")
	}
}

// The summary tells dead links from failures, counts every request on
// the wire and says why URLs were skipped.
func TestSummaryDeadLinksFailuresRequestsAndSkipReasons(t *testing.T) {
	site := newLiveSite(t)
	site.set("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\n", false)
	site.listing("/", "/private/x", "/tags/x", "/missing", "/broken")
	site.testSite.Config.Handler = func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/broken" {
				site.testSite.mu.Lock()
				site.testSite.requests = append(site.testSite.requests, r.URL.Path)
				site.testSite.mu.Unlock()
				http.Error(w, "boom", http.StatusInternalServerError)
				return
			}
			next.ServeHTTP(w, r)
		})
	}(site.testSite.Config.Handler)
	opts := testOptions()
	opts.Retries = 2
	sum, _, _, err := crawl(t, opts, Source{Name: "sum", Seeds: []string{site.URL + "/"}, Exclude: []string{"/tags/"}})
	if err != nil {
		t.Fatal(err)
	}
	// robots.txt, /, /missing, and /broken three times (two retries)
	if sum.Requests != 6 || site.count("/broken") != 3 {
		t.Errorf("requests = %d (server saw %d of /broken), want 6", sum.Requests, site.count("/broken"))
	}
	if sum.Dead != 1 || sum.Errors != 1 || sum.Pages != 1 {
		t.Errorf("%s; want dead=1 (the 404), errors=1 (the 500), pages=1", sum)
	}
	if want := (Skips{Robots: 1, Pattern: 1}); sum.Skips != want || sum.Skipped != 2 {
		t.Errorf("skips %+v (skipped=%d), want %+v", sum.Skips, sum.Skipped, want)
	}
}
