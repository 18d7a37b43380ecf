package crawler

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/news"
)

// memState is an in-memory StateStore and Leaser for the crawler's own
// tests; events.CrawlState is tested on a real NATS server, and
// cmd/newsdesk runs the crawler on it.
type memState struct {
	mu     sync.Mutex
	kv     map[string][]byte
	leases map[string]string
}

func newMemState() *memState {
	return &memState{kv: make(map[string][]byte), leases: make(map[string]string)}
}

func (m *memState) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.kv[key], nil
}

func (m *memState) Put(_ context.Context, key string, v []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.kv[key] = v
	return nil
}

type memLease struct {
	m    *memState
	name string
}

func (l memLease) Renew(context.Context) error { return nil }
func (l memLease) Release(context.Context) error {
	l.m.mu.Lock()
	delete(l.m.leases, l.name)
	l.m.mu.Unlock()
	return nil
}

// leaser returns a Leaser whose leases are held under instance.
func (m *memState) leaser(instance string) Leaser { return memLeaser{m, instance} }

type memLeaser struct {
	m        *memState
	instance string
}

func (l memLeaser) Acquire(_ context.Context, name string, _ time.Duration) (Lease, string, error) {
	l.m.mu.Lock()
	defer l.m.mu.Unlock()
	if h, ok := l.m.leases[name]; ok {
		return nil, h, nil
	}
	l.m.leases[name] = l.instance
	return memLease{l.m, name}, "", nil
}

// editableSite serves stories whose titles and texts a test can change,
// with ETags, answering conditional GETs with 304.
type editableSite struct {
	*testSite
	mu      sync.Mutex
	stories map[string]string // path -> body
}

func newEditableSite(t *testing.T, paths ...string) *editableSite {
	e := &editableSite{stories: make(map[string]string)}
	routes := map[string]http.HandlerFunc{"/": listing(paths...)}
	for _, p := range paths {
		e.stories[p] = storyBody("Story "+p, "First text of "+p+".")
		routes[p] = e.serveStory
	}
	e.testSite = newSite(t, routes)
	return e
}

func storyBody(title, text string) string {
	return `<html><head><title>` + title + `</title></head><body><article data-kind="article"><p>` + text + `</p></article></body></html>`
}

func (e *editableSite) edit(path, body string) {
	e.mu.Lock()
	e.stories[path] = body
	e.mu.Unlock()
}

func (e *editableSite) serveStory(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	body := e.stories[r.URL.Path]
	e.mu.Unlock()
	etag := fmt.Sprintf(`"%x"`, len(body)*31+int(body[len(body)/2]))
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

// fakeTextParser is fakeParser that also reads the text and a paywall
// marker, so edits show as changes.
type fakeTextParser struct{ fakeParser }

func (f *fakeTextParser) Parse(pageURL string, body []byte) (news.Article, error) {
	a, err := f.fakeParser.Parse(pageURL, body)
	if err != nil {
		return a, err
	}
	s := string(body)
	if i := strings.Index(s, "<p>"); i >= 0 {
		a.Text = s[i+3 : strings.Index(s, "</p>")]
	}
	return a, nil
}

func TestCronPassesEmitOnlyWhatChanged(t *testing.T) {
	site := newEditableSite(t, "/news/a", "/news/b")
	state := newMemState()
	opts := testOptions()
	opts.State = state
	clock := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	opts.Now = func() time.Time { return clock } // one pass an hour
	src := Source{Name: "daily", Seeds: []string{site.URL + "/"}}
	parser := &fakeTextParser{}

	pass := func(n int) (Summary, *memPublisher) {
		t.Helper()
		clock = time.Date(2025, 6, 1, 8+n, 0, 0, 0, time.UTC)
		pub := &memPublisher{}
		sum, err := crawlWith(t, opts, parser, pub, src)
		if err != nil {
			t.Fatalf("pass %d: %v", n, err)
		}
		return sum, pub
	}

	sum, pub := pass(1)
	if sum.Articles != 2 || sum.Updated != 0 || len(pub.all()) != 2 {
		t.Fatalf("first pass: %s, want 2 created", sum)
	}
	for _, ev := range pub.all() {
		if k, _ := ev.Kind(); k != news.ArticleCreated || ev.Data.Revision != 1 || len(ev.Data.Changes) != 0 {
			t.Errorf("first pass event %s: kind %s revision %d changes %v", ev.Data.Title, k, ev.Data.Revision, ev.Data.Changes)
		}
		if !ev.Data.FirstSeen.Equal(ev.Data.FetchedAt) || ev.Data.FirstSeen.IsZero() {
			t.Errorf("first pass event %s: first seen %v, fetched %v; want equal", ev.Data.Title, ev.Data.FirstSeen, ev.Data.FetchedAt)
		}
	}

	// Second pass: conditional GETs answered 304, nothing emitted.
	sum, pub = pass(2)
	if sum.Articles != 0 || sum.Unchanged != 2 || len(pub.all()) != 0 {
		t.Fatalf("second pass: %s, %d events; want nothing but 2 unchanged", sum, len(pub.all()))
	}

	// A silent edit of b's text: the third pass emits exactly one update.
	site.edit("/news/b", storyBody("Story /news/b", "Corrected text of /news/b."))
	sum, pub = pass(3)
	events := pub.all()
	if sum.Articles != 1 || sum.Updated != 1 || sum.Unchanged != 1 || len(events) != 1 {
		t.Fatalf("third pass: %s, %d events; want exactly one update", sum, len(events))
	}
	ev := events[0]
	if k, _ := ev.Kind(); k != news.ArticleUpdated || ev.Data.Revision != 2 || !slices.Equal(ev.Data.Changes, []string{news.ChangeText}) {
		t.Errorf("update: kind %s revision %d changes %v; want updated, 2, [text]", k, ev.Data.Revision, ev.Data.Changes)
	}
	// Every revision carries when the story was first seen: pass 1's time.
	if first := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC); !ev.Data.FirstSeen.Equal(first) || ev.Data.FetchedAt.Equal(first) {
		t.Errorf("update: first seen %v, fetched %v; want first seen %v, fetched later", ev.Data.FirstSeen, ev.Data.FetchedAt, first)
	}

	// A new title and a paywall: revision 3, both named.
	site.edit("/news/b", storyBody("Story /news/b paywalled", "Corrected text of /news/b."))
	_, pub = pass(4)
	if events := pub.all(); len(events) != 1 || events[0].Data.Revision != 3 ||
		!slices.Equal(events[0].Data.Changes, []string{news.ChangeTitle, news.ChangePaywall}) {
		t.Fatalf("fourth pass events %+v; want revision 3 with title and paywall changes", events)
	}
	// Back to the first wording: a new revision, with a new event id (the
	// stream's duplicate window must not drop it as the first version).
	site.edit("/news/b", storyBody("Story /news/b", "First text of /news/b."))
	_, pub = pass(5)
	if events := pub.all(); len(events) != 1 || events[0].Data.Revision != 4 {
		t.Fatalf("fifth pass: %+v, want revision 4", events)
	}
}

func TestCrawlSkipsSourcesLeasedElsewhereAndFetchesEachURLOnce(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	var seedHits atomic.Int32
	site := newSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			seedHits.Add(1)
			once.Do(func() { close(arrived) })
			<-release
			listing("/news/a", "/news/b")(w, r)
		},
		"/news/a": story("A", ""),
		"/news/b": story("B", ""),
	})
	state := newMemState()
	src := []Source{{Name: "daily", Seeds: []string{site.URL + "/"}}}
	run := func(instance string) (Summary, *memPublisher, error) {
		opts := testOptions()
		opts.State, opts.Leaser = state, state.leaser(instance)
		pub := &memPublisher{}
		c, err := New(opts, &fakeParser{}, pub)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		sum, err := c.Crawl(ctx, src)
		return sum, pub, err
	}

	first := make(chan Summary, 1)
	go func() {
		sum, _, err := run("crawler-1")
		if err != nil {
			t.Errorf("crawler-1: %v", err)
		}
		first <- sum
	}()
	waitFor(t, arrived, "crawler-1's first request")
	// crawler-2 starts while crawler-1 holds the source.
	sum2, pub2, err := run("crawler-2")
	close(release)
	if err != nil || sum2.Leased != 1 || sum2.Pages != 0 || len(pub2.all()) != 0 {
		t.Errorf("crawler-2: %s, %v; want the source skipped as leased", sum2, err)
	}
	var sum1 Summary
	select {
	case sum1 = <-first:
	case <-time.After(30 * time.Second):
		t.Fatal("crawler-1 did not finish")
	}
	if sum1.Articles != 2 {
		t.Errorf("crawler-1: %s, want 2 articles", sum1)
	}
	for _, p := range []string{"/", "/news/a", "/news/b"} {
		if n := site.count(p); n != 1 {
			t.Errorf("%s fetched %d times by the two crawlers, want 1", p, n)
		}
	}
	// The lease was released: the next pass runs.
	if sum, _, err := run("crawler-2"); err != nil || sum.Leased != 0 || sum.Unchanged != 2 {
		t.Errorf("after release: %s, %v", sum, err)
	}
}
