package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// result is one row of the table.
type result struct {
	scenario   string
	published  int // events acknowledged by JetStream (good ones, for bad-events)
	indexed    int // expected documents in the index, at the expected revision
	duplicates int // events stored twice in the stream, or documents we never published
	lost       int // expected documents missing or stale, bad events not dead-lettered
	recovery   time.Duration
	note       string
	err        error
}

// env is what one scenario runs against: its own nats-server and work dir,
// the suite's binaries and an Elasticsearch index of its own.
type env struct {
	suite *suite
	name  string
	dir   string
	nats  *natsServer
	pub   *publisher
	es    es
	procs []*proc
	runs  int // newsdesk processes started, for their log names
}

func (s *suite) newEnv(name string, esURL string) (*env, error) {
	dir := filepath.Join(s.work, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	n, err := startNATS(s.natsBin, dir)
	if err != nil {
		return nil, err
	}
	pub, err := newPublisher(n.url())
	if err != nil {
		n.stop()
		return nil, err
	}
	e := &env{suite: s, name: name, dir: dir, nats: n, pub: pub,
		es: es{url: esURL, index: fmt.Sprintf("newsdesk-reliability-%s-%d", name, time.Now().UnixNano())}}
	return e, e.writeConfig("http://127.0.0.1:1")
}

func (e *env) close() {
	for _, p := range e.procs {
		p.stop()
	}
	e.pub.close()
	e.nats.stop()
	e.es.cleanup()
}

func (e *env) configPath() string { return filepath.Join(e.dir, "newsdesk.yaml") }

// writeConfig writes the config every newsdesk process of the scenario
// reads: its NATS server and index, and a source on siteURL.
func (e *env) writeConfig(siteURL string) error {
	cfg := fmt.Sprintf(`data_dir: %s
nats:
  url: %s
elasticsearch:
  urls: [%s]
  index: %s
crawl:
  delay: 0s
  allow_private_networks: true
sources:
  - name: %s
    seeds: [%s/]
`, filepath.Join(e.dir, "data"), e.nats.url(), e.es.url, e.es.index, testSource, siteURL)
	return os.WriteFile(e.configPath(), []byte(cfg), 0o644)
}

// newsdesk starts the newsdesk binary with args and the scenario's config.
func (e *env) newsdesk(args ...string) (*proc, error) {
	e.runs++
	log := filepath.Join(e.dir, fmt.Sprintf("newsdesk-%d-%s.log", e.runs, args[0]))
	p, err := startProc("newsdesk "+args[0], log, e.suite.newsdeskBin,
		append(args, "--config", e.configPath(), "--log-format", "json")...)
	if err != nil {
		return nil, err
	}
	e.procs = append(e.procs, p)
	return p, nil
}

func (e *env) indexer() (*proc, error) { return e.newsdesk("index", "--alerts=false") }

// expectation is what the index must hold at the end: document id to
// revision.
type expectation map[string]int

func expect(scenario string, n, revision int) expectation {
	want := expectation{}
	for i := range n {
		want[testArticle(scenario, i, revision).ID] = revision
	}
	return want
}

func (x expectation) ids() []string {
	ids := make([]string, 0, len(x))
	for id := range x {
		ids = append(ids, id)
	}
	return ids
}

// waitIndexed polls until the index holds every expected document at its
// revision, or ctx ends. It returns when it ended.
func (e *env) waitIndexed(ctx context.Context, want expectation) error {
	ids := want.ids()
	for {
		if n, err := e.es.count(); err == nil && n >= len(want) {
			if got, err := e.es.revisions(ids); err == nil && matching(got, want) == len(want) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return errTimeout
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func matching(got map[string]int, want expectation) int {
	n := 0
	for id, rev := range want {
		if r, ok := got[id]; ok && r == rev {
			n++
		}
	}
	return n
}

// measure fills the counts of r: what the index holds against want, and
// the article stream against the published events.
func (e *env) measure(r *result, want expectation, publishedEvents int) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := e.es.revisions(want.ids())
	if err != nil {
		r.err = err
		return
	}
	r.indexed = matching(got, want)
	r.lost += len(want) - r.indexed
	if total, err := e.es.count(); err == nil && total > len(got) {
		r.duplicates += total - len(got)
	}
	if stored, err := e.pub.streamMsgs(ctx, articleStream); err == nil && int(stored) > publishedEvents {
		r.duplicates += int(stored) - publishedEvents
	}
}

// waitAcked polls until the indexer consumer's ack floor reaches seq.
func (e *env) waitAcked(ctx context.Context, seq uint64) bool {
	for e.pub.acked(ctx) < seq {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
	return true
}

// published is what publishInBackground reports: the count acknowledged
// and the error.
type published struct {
	n   int
	err error
}

// indexWhilePublishing creates the stream, publishes evs in the background
// and starts an indexer beside the publisher: the start of every scenario
// that hurts an indexer at work.
func (e *env) indexWhilePublishing(ctx context.Context, evs []rawEvent) (<-chan published, *proc, error) {
	if err := e.pub.ensureStream(ctx); err != nil {
		return nil, nil, err
	}
	pubDone := e.publishInBackground(ctx, evs)
	idx, err := e.indexer()
	return pubDone, idx, err
}

// publishInBackground publishes evs on a goroutine; the channel gives the
// count acknowledged and the error.
func (e *env) publishInBackground(ctx context.Context, evs []rawEvent) <-chan published {
	ch := make(chan published, 1)
	go func() {
		n, err := e.pub.publish(ctx, evs)
		ch <- published{n, err}
	}()
	return ch
}

// sigkill is syscall.SIGKILL, named for the scenarios.
const sigkill = syscall.SIGKILL
