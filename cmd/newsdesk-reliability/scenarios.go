package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"newsdesk/news"
)

// articles builds events for stories 0..n-1 of scenario at revision.
func articles(scenario string, n, revision int) []rawEvent {
	evs := make([]rawEvent, n)
	for i := range n {
		evs[i] = articleEvent(testArticle(scenario, i, revision))
	}
	return evs
}

// indexerSIGKILL: the indexer is SIGKILLed three times while N events are
// published and indexed, and restarted at once each time.
func (s *suite) indexerSIGKILL(ctx context.Context, e *env, r *result) error {
	n := s.events
	evs := articles(e.name, n, 1)
	pubDone, idx, err := e.indexWhilePublishing(ctx, evs)
	if err != nil {
		return err
	}
	var lastFault time.Time
	kills := 0
	var backlog []string
	for k := 1; k <= 3; k++ {
		if !e.waitAcked(ctx, uint64(n*k/4)) {
			return errTimeout
		}
		if idx.wait(0) >= 0 {
			return fmt.Errorf("the indexer exited by itself (log: %s)", idx.log)
		}
		backlog = append(backlog, fmt.Sprint(e.pub.backlog(ctx)))
		idx.signal(sigkill)
		kills++
		lastFault = time.Now()
		if idx, err = e.indexer(); err != nil {
			return err
		}
	}
	p := <-pubDone
	r.published = p.n
	if p.err != nil {
		return p.err
	}
	want := expect(e.name, n, 1)
	err = e.waitIndexed(ctx, want)
	r.recovery = time.Since(lastFault)
	r.note = fmt.Sprintf("%d SIGKILLs, events not yet indexed at each: %s", kills, strings.Join(backlog, ", "))
	e.measure(r, want, r.published)
	return err
}

// natsRestartIndexing: the nats-server is SIGKILLed while the indexer works
// through N/2 events and the publisher publishes, and restarted after the
// outage.
func (s *suite) natsRestartIndexing(ctx context.Context, e *env, r *result) error {
	n := max(s.events/2, 100)
	if err := e.pub.ensureStream(ctx); err != nil {
		return err
	}
	evs := articles(e.name, n, 1)
	first, err := e.pub.publish(ctx, evs[:n/2])
	if err != nil {
		return err
	}
	idx, err := e.indexer()
	if err != nil {
		return err
	}
	if !e.waitAcked(ctx, uint64(n/4)) {
		return errTimeout
	}
	backlog := uint64(first) - e.pub.acked(ctx)
	e.nats.kill()
	// The second half is published through the outage, retried until the
	// server is back.
	pubDone := e.publishInBackground(ctx, evs[n/2:])
	time.Sleep(s.outage) // the outage being simulated, not a wait for a result
	if err := e.nats.start(); err != nil {
		return err
	}
	back := time.Now()
	p := <-pubDone
	r.published = first + p.n
	if p.err != nil {
		return p.err
	}
	want := expect(e.name, n, 1)
	err = e.waitIndexed(ctx, want)
	r.recovery = time.Since(back)
	r.note = fmt.Sprintf("%d not yet indexed at the kill, %d published during the outage", backlog, p.n)
	if code := idx.wait(0); code >= 0 {
		r.note += fmt.Sprintf("; indexer exited %d", code)
	}
	e.measure(r, want, r.published)
	return err
}

// natsRestartCrawl: `newsdesk crawl --once` of a local site, the
// nats-server SIGKILLed a third of the way through the pass and restarted
// after the outage. The pass must still succeed and every story be indexed.
func (s *suite) natsRestartCrawl(ctx context.Context, e *env, r *result) error {
	n := s.crawlArticles
	site, served, err := s.articleSite(n)
	if err != nil {
		return err
	}
	defer site.Close()
	if err := e.writeConfig(site.URL); err != nil {
		return err
	}
	idx, err := e.indexer()
	if err != nil {
		return err
	}
	if err := e.waitConsumer(ctx, idx); err != nil {
		return err
	}
	crawl, err := e.newsdesk("crawl", "--once")
	if err != nil {
		return err
	}
	for served.Load() < int64(n/3) {
		select {
		case <-crawl.done:
			return fmt.Errorf("the crawl ended before a third of the site was served (log: %s)", crawl.log)
		case <-ctx.Done():
			return errTimeout
		case <-time.After(10 * time.Millisecond):
		}
	}
	e.nats.kill()
	time.Sleep(s.outage)
	if err := e.nats.start(); err != nil {
		return err
	}
	back := time.Now()
	code := crawl.wait(time.Until(deadline(ctx)))
	want := expectation{}
	for i := range n {
		want[news.DocID(site.URL+storyPath(i))] = 0
	}
	r.published = n
	r.note = fmt.Sprintf("crawl exit %d: %s", code, lastLine(crawl.log, "crawl "))
	err = e.waitIndexedAnyRevision(ctx, want)
	r.recovery = time.Since(back)
	e.measureAnyRevision(r, want, n)
	if code != 0 && err == nil {
		err = fmt.Errorf("crawl --once exited %d", code)
	}
	return err
}

// sigtermDrain: SIGTERM to the indexer halfway through N/2 events; it must
// exit 0, and a new indexer then finds nothing lost.
func (s *suite) sigtermDrain(ctx context.Context, e *env, r *result) error {
	n := max(s.events/2, 100)
	pubDone, idx, err := e.indexWhilePublishing(ctx, articles(e.name, n, 1))
	if err != nil {
		return err
	}
	if !e.waitAcked(ctx, uint64(n/2)) {
		return errTimeout
	}
	termAt := time.Now()
	idx.signal(syscall.SIGTERM)
	code := idx.wait(time.Minute)
	r.recovery = time.Since(termAt)
	r.note = fmt.Sprintf("indexer exit %d after SIGTERM", code)
	if _, err := e.indexer(); err != nil {
		return err
	}
	p := <-pubDone
	r.published = p.n
	if p.err != nil {
		return p.err
	}
	want := expect(e.name, n, 1)
	err = e.waitIndexed(ctx, want)
	e.measure(r, want, r.published)
	if code != 0 && err == nil {
		err = fmt.Errorf("the indexer exited %d after SIGTERM, want 0 (log: %s)", code, idx.log)
	}
	return err
}

// revisionOrder: revision 2 of each story is published before revision 1,
// all before the indexer starts, so both land in one batch. The index must
// end with revision 2.
func (s *suite) revisionOrder(ctx context.Context, e *env, r *result) error {
	const n = 50
	var evs []rawEvent
	for i := range n {
		evs = append(evs, articleEvent(testArticle(e.name, i, 2)), articleEvent(testArticle(e.name, i, 1)))
	}
	if err := e.pub.ensureStream(ctx); err != nil {
		return err
	}
	got, err := e.pub.publish(ctx, evs)
	r.published = got
	if err != nil {
		return err
	}
	start := time.Now()
	if _, err := e.indexer(); err != nil {
		return err
	}
	want := expect(e.name, n, 2)
	err = e.waitIndexed(ctx, want)
	r.recovery = time.Since(start)
	r.note = fmt.Sprintf("%d stories, rev 2 published first; lost = stale or missing", n)
	e.measure(r, want, r.published)
	return err
}

// badEvents: 50 bad events (undecodable, unknown type, an id the index
// refuses) among good ones. Every bad one must be dead-lettered, every good
// one indexed.
func (s *suite) badEvents(ctx context.Context, e *env, r *result) error {
	good := max(s.events/10, 100)
	goodEvs := articles(e.name, good, 1)
	var bad []rawEvent
	for i := range 50 {
		subject := news.ArticleSubject(news.ArticleCreated, testSource, "privacy")
		id := fmt.Sprintf("bad-%s-%d", e.name, i)
		switch i % 3 {
		case 0: // not JSON
			bad = append(bad, rawEvent{subject: subject, msgID: id, data: []byte("{not json " + id)})
		case 1: // a type this version does not know
			ev := articleEvent(testArticle("bad-"+e.name, i, 1))
			ev.msgID = id
			ev.data = []byte(strings.Replace(string(ev.data), news.EventType(news.ArticleCreated), "io.newsdesk.article.created.v9", 1))
			bad = append(bad, ev)
		case 2: // a document id Elasticsearch refuses (over 512 bytes)
			a := testArticle("bad-"+e.name, i, 1)
			a.ID = strings.Repeat("x", 600) + id
			ev := articleEvent(a)
			ev.msgID = id
			bad = append(bad, ev)
		}
	}
	var evs []rawEvent
	step := good / len(bad)
	for i, ev := range goodEvs {
		evs = append(evs, ev)
		if i%step == 0 && len(bad) > 0 {
			evs, bad = append(evs, bad[0]), bad[1:]
		}
	}
	evs = append(evs, bad...)
	if err := e.pub.ensureStream(ctx); err != nil {
		return err
	}
	got, err := e.pub.publish(ctx, evs)
	if err != nil {
		return err
	}
	r.published = got
	start := time.Now()
	if _, err := e.indexer(); err != nil {
		return err
	}
	want := expect(e.name, good, 1)
	err = e.waitIndexed(ctx, want)
	for ctx.Err() == nil {
		if dead, _ := e.pub.deadLetterIDs(ctx); len(dead) >= 50 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	r.recovery = time.Since(start)
	// Read once more with time of its own: ctx may be over.
	rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dead, derr := e.pub.deadLetterIDs(rctx)
	if derr != nil {
		return fmt.Errorf("reading the dead-letter stream: %w", derr)
	}
	badDead := 0
	for id, k := range dead {
		if strings.HasPrefix(id, "bad-") {
			badDead++
			if k > 1 {
				r.duplicates += k - 1
			}
		}
	}
	r.lost += 50 - badDead
	r.note = fmt.Sprintf("%d good, 50 bad; %d bad in the DLQ, %d dead letters in all", good, badDead, len(dead))
	e.measure(r, want, len(evs))
	if ctx.Err() != nil && err == nil {
		err = errTimeout
	}
	return err
}

// esRestart: Elasticsearch (a private instance) is SIGKILLed while the
// indexer works through N/2 events, and started again on the same data.
func (s *suite) esRestart(ctx context.Context, e *env, r *result) error {
	n := max(s.events/2, 100)
	pubDone, idx, err := e.indexWhilePublishing(ctx, articles(e.name, n, 1))
	if err != nil {
		return err
	}
	if !e.waitAcked(ctx, uint64(n/3)) {
		return errTimeout
	}
	if err := s.privateES.kill(); err != nil {
		return err
	}
	if err := s.privateES.start(); err != nil {
		return err
	}
	back := time.Now()
	p := <-pubDone
	r.published = p.n
	if p.err != nil {
		return p.err
	}
	want := expect(e.name, n, 1)
	err = e.waitIndexed(ctx, want)
	r.recovery = time.Since(back)
	if code := idx.wait(0); code >= 0 {
		r.note = fmt.Sprintf("indexer exited %d during the outage", code)
	} else {
		r.note = "recovery counted from Elasticsearch healthy again"
	}
	e.measure(r, want, r.published)
	return err
}

// storyPath is the path of story i on the harness's site.
func storyPath(i int) string { return fmt.Sprintf("/story/%d", i) }

// articleSite serves a listing of n copies of a real article of the
// parser's corpus, each its own document (its og:url names its path), each
// answered after a short delay so a pass lasts long enough to be
// interrupted. served counts the stories served.
func (s *suite) articleSite(n int) (*httptest.Server, *atomic.Int64, error) {
	page, err := os.ReadFile(filepath.Join(s.root, "parser", "testdata", "free-encryption-law.html"))
	if err != nil {
		return nil, nil, err
	}
	var list strings.Builder
	list.WriteString("<html><head><title>Latest</title></head><body><ul>")
	stories := map[string]bool{}
	for i := range n {
		fmt.Fprintf(&list, `<li><a href="%s">story %d</a></li>`, storyPath(i), i)
		stories[storyPath(i)] = true
	}
	list.WriteString("</ul></body></html>")
	served := &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case r.URL.Path == "/":
			io.WriteString(w, list.String())
			return
		case !stories[r.URL.Path]:
			http.NotFound(w, r)
			return
		}
		time.Sleep(s.pageDelay)
		served.Add(1)
		io.WriteString(w, strings.Replace(string(page), `content="encryption-law.html"`, `content="`+r.URL.Path+`"`, 1))
	}))
	return srv, served, nil
}

// waitIndexedAnyRevision is waitIndexed for documents whose revision the
// crawler decides.
func (e *env) waitIndexedAnyRevision(ctx context.Context, want expectation) error {
	ids := want.ids()
	for {
		if got, err := e.es.revisions(ids); err == nil && len(got) == len(want) {
			return nil
		}
		select {
		case <-ctx.Done():
			return errTimeout
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (e *env) measureAnyRevision(r *result, want expectation, publishedEvents int) {
	got, err := e.es.revisions(want.ids())
	if err != nil {
		r.err = errors.Join(r.err, err)
		return
	}
	for id := range want {
		if _, ok := got[id]; ok {
			want[id] = got[id]
		}
	}
	e.measure(r, want, publishedEvents)
}

func deadline(ctx context.Context) time.Time {
	d, ok := ctx.Deadline()
	if !ok {
		return time.Now().Add(time.Hour)
	}
	return d
}

// waitConsumer waits until the indexer idx has created its consumer, so a
// fault injected next hits a running consumer, not its start-up.
func (e *env) waitConsumer(ctx context.Context, idx *proc) error {
	for {
		if _, err := e.pub.js.Consumer(ctx, articleStream, indexerName); err == nil {
			return nil
		}
		select {
		case <-idx.done:
			return fmt.Errorf("the indexer exited at start (log: %s)", idx.log)
		case <-ctx.Done():
			return errTimeout
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// lastLine is the last line of the file at path that starts with prefix.
func lastLine(path, prefix string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	last := ""
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, prefix) {
			last = l
		}
	}
	return last
}
