package elastic

import (
	"context"
	"sync"
	"time"

	"newsdesk/indexer"
	"newsdesk/syndication"
)

// DefaultRefreshInterval is how soon after Store a document is searchable
// (Options.RefreshInterval). Half Elasticsearch's own 1 s: with the
// consumer's fetch wait and the write, a refresh at most every second put
// the 99th percentile of publish → searchable at 1,019 ms, every 500 ms at
// 616 ms (BenchmarkFreshness, same machine and hour); the throughput of a
// bulk load is 0.85–0.92× that without refreshes at 500 ms and 0.88–0.94×
// at 1 s (BenchmarkIndexRefresh, two runs): within its noise.
const DefaultRefreshInterval = 500 * time.Millisecond

// BacklogRefreshInterval is how soon stored documents are searchable
// while a backlog waits behind them (Index.Backlog): Elasticsearch's own
// backstop interval. Refreshing every 500 ms through a backlog of 50,000
// articles made a small segment of each refresh, and merging them and
// searching across them (each batch's lookup) cost Elasticsearch more CPU
// than indexing the articles (BenchmarkIndexThroughput). Each article of a
// backlog waits for the ones before it anyway; the last batch is
// searchable within RefreshInterval again.
const BacklogRefreshInterval = 5 * time.Second

// refreshTimeout bounds one background refresh.
const refreshTimeout = 30 * time.Second

// maxPendingDocs bounds the memory of pendingWrites should refreshes keep
// failing while writes succeed: past it the oldest tenth is forgotten
// (Elasticsearch's own refresh has most likely made them searchable).
const maxPendingDocs = 100_000

// Store does not wait for a refresh. Refreshing after every batch made a
// segment of each batch, and Elasticsearch spent more CPU writing and
// merging those small segments than indexing the batch (about 300 µs a
// document, BenchmarkIndexThroughput). Instead, the first write after a
// refresh schedules the next one, at most one per refresh interval, so a
// document is searchable within the interval of its Store.
//
// Until a refresh covers them, the lookup before a write (writer.Lookup) cannot
// find the documents just written: a later revision would lose its
// first_seen, a copy of a story would start a syndication group of its own.
// pendingWrites keeps what the lookup needs of them, from the bulk answer
// until the refresh that began after it has finished.
type pendingWrites struct {
	ix       *Index // for the refresh itself
	interval time.Duration

	mu        sync.Mutex
	written   uint64 // documents written so far, each numbered in turn
	docs      []pendingDoc
	groups    syndication.BatchGroups // of docs
	firstSeen map[string]time.Time    // of docs, by article id
	timer     *time.Timer             // the scheduled refresh, if any
	due       time.Time               // when timer fires
	last      time.Time               // when the last refresh began
	behind    bool                    // a backlog waits behind the writes (Index.Backlog)
	closed    bool
	running   sync.WaitGroup // the scheduled refresh, once it fires
}

// pendingDoc is a written document that may not be searchable yet.
type pendingDoc struct {
	seq       uint64
	member    syndication.Member
	bands     []string
	firstSeen time.Time
}

func newPendingWrites(ix *Index, interval time.Duration) *pendingWrites {
	return &pendingWrites{ix: ix, interval: interval, firstSeen: map[string]time.Time{}}
}

// add records documents Elasticsearch accepted and schedules a refresh.
func (p *pendingWrites) add(docs []*indexer.Document) {
	if len(docs) == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range docs {
		p.written++
		m := syndication.Member{ID: d.ID, Group: d.Group, Signature: d.Signature}
		p.docs = append(p.docs, pendingDoc{seq: p.written, member: m, bands: d.Bands, firstSeen: d.FirstSeen})
		p.groups.Add(m, d.Bands)
		p.noteFirstSeen(d.ID, d.FirstSeen)
	}
	if len(p.docs) > maxPendingDocs {
		p.forget(p.docs[len(p.docs)/10].seq - 1)
	}
	p.schedule()
}

// noteFirstSeen keeps the earliest first_seen of id. Call with mu held.
func (p *pendingWrites) noteFirstSeen(id string, t time.Time) {
	p.firstSeen[id] = indexer.Earliest(p.firstSeen[id], t)
}

// candidates are the pending documents sharing a band with bands.
func (p *pendingWrites) candidates(bands []string) []syndication.Member {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.groups.Candidates(bands)
}

// prior is what a pending earlier revision of article id says of it.
func (p *pendingWrites) prior(id string) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.firstSeen[id]
	return t, ok
}

// backlog records whether a backlog waits behind the next writes; at its
// end, a refresh scheduled for later is brought forward.
func (p *pendingWrites) backlog(behind bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.behind = behind
	p.schedule()
}

// schedule arms the refresh timer, the interval after the last refresh
// began (BacklogRefreshInterval during a backlog), or re-arms it if it is
// due later than that. Call with mu held.
func (p *pendingWrites) schedule() {
	if p.closed || len(p.docs) == 0 {
		return
	}
	every := p.interval
	if p.behind {
		every = max(every, BacklogRefreshInterval)
	}
	due := p.last.Add(every)
	if p.timer != nil {
		// A timer that fired already (Stop fails) schedules again itself.
		if !due.Before(p.due) || !p.timer.Stop() {
			return
		}
		p.running.Done()
	}
	p.due = due
	p.running.Add(1)
	p.timer = time.AfterFunc(max(time.Until(due), 0), func() {
		defer p.running.Done()
		p.mu.Lock()
		p.timer = nil
		p.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
		defer cancel()
		if err := p.refresh(ctx); err != nil {
			p.ix.log.Warn("background refresh failed; retrying", "alias", p.ix.alias, "err", err)
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		p.schedule() // for writes made meanwhile, or after a failure
	})
}

// refresh refreshes the index and forgets the documents written before it
// began, which it made searchable.
func (p *pendingWrites) refresh(ctx context.Context) error {
	p.mu.Lock()
	covered := p.written
	p.last = time.Now()
	p.mu.Unlock()
	if err := p.ix.refreshNow(ctx); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forget(covered)
	return nil
}

// forget drops the documents numbered up to seq. Call with mu held.
func (p *pendingWrites) forget(seq uint64) {
	drop := 0
	for drop < len(p.docs) && p.docs[drop].seq <= seq {
		drop++
	}
	if drop == 0 {
		return
	}
	p.docs = append(p.docs[:0:0], p.docs[drop:]...)
	p.groups = syndication.BatchGroups{}
	clear(p.firstSeen)
	for _, d := range p.docs {
		p.groups.Add(d.member, d.bands)
		p.noteFirstSeen(d.member.ID, d.firstSeen)
	}
}

// close stops the timer and waits for a refresh in progress. Documents
// still pending become searchable on Elasticsearch's own refresh schedule.
func (p *pendingWrites) close() {
	p.mu.Lock()
	p.closed = true
	if p.timer != nil && p.timer.Stop() {
		p.timer = nil
		p.running.Done()
	}
	p.mu.Unlock()
	p.running.Wait()
}
