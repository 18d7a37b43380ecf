package elastic

import (
	"context"
	"hash/maphash"
	"slices"
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

	mu      sync.Mutex
	written uint64       // documents written so far, each numbered in turn from 1
	docs    []pendingDoc // oldest first: numbered docs[0].seq, docs[0].seq+1, ...
	// byBand and byID are the newest pending doc (its seq) with a band
	// (its bandKey) and with an article id; each doc links to the one
	// before it with the same band (pendingDoc.prev) and id. A refresh
	// drops only what it covers: the entries still naming a doc it
	// forgets, whose chain ends there. Rebuilding the indexes from the docs
	// still pending after each refresh, and a slice per band, cost as much
	// as the rest of a Store's preparation (BenchmarkIndexThroughput).
	byBand  seqTable
	byID    map[string]uint64
	seed    maphash.Seed
	timer   *time.Timer // the scheduled refresh, if any
	due     time.Time   // when timer fires
	last    time.Time   // when the last refresh began
	behind  bool        // a backlog waits behind the writes (Index.Backlog)
	closed  bool
	running sync.WaitGroup // the scheduled refresh, once it fires
}

// pendingDoc is a written document that may not be searchable yet.
type pendingDoc struct {
	seq       uint64
	member    syndication.Member
	firstSeen time.Time
	keys      []uint64 // bandKey of each band
	prev      []uint64 // by band: the seq of the pending doc before it with that band, 0 for none
	prevID    uint64   // the seq of the pending doc before it with its id, 0 for none
}

func newPendingWrites(ix *Index, interval time.Duration) *pendingWrites {
	return &pendingWrites{ix: ix, interval: interval, byID: map[string]uint64{}, seed: maphash.MakeSeed()}
}

// bandKey is a band, hashed: an integer key makes the index of bands
// smaller and quicker than one by string. Two bands that collide (one in
// 2^64) make a candidate of a doc that shares no band, which
// syndication.ChooseGroup still measures against the threshold.
func (p *pendingWrites) bandKey(band string) uint64 { return maphash.String(p.seed, band) }

// add records documents Elasticsearch accepted and schedules a refresh.
func (p *pendingWrites) add(docs []*indexer.Document) {
	if len(docs) == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range docs {
		p.written++
		links := make([]uint64, 2*len(d.Bands))
		pd := pendingDoc{seq: p.written, member: syndication.Member{ID: d.ID, Group: d.Group, Signature: d.Signature},
			firstSeen: d.FirstSeen, keys: links[:len(d.Bands)], prev: links[len(d.Bands):], prevID: p.byID[d.ID]}
		for j, band := range d.Bands {
			k := p.bandKey(band)
			pd.keys[j] = k
			if before := p.byBand.swap(k, p.written); before != p.written { // not a band repeated in d
				pd.prev[j] = before
			}
		}
		p.byID[d.ID] = p.written
		p.docs = append(p.docs, pd)
	}
	if len(p.docs) > maxPendingDocs {
		p.forget(p.docs[len(p.docs)/10].seq - 1)
	}
	p.schedule()
}

// doc is the pending document numbered seq, nil when it is not pending
// (forgotten, or 0: none). Call with mu held.
func (p *pendingWrites) doc(seq uint64) *pendingDoc {
	if len(p.docs) == 0 || seq < p.docs[0].seq {
		return nil
	}
	return &p.docs[seq-p.docs[0].seq]
}

// lookup is, for each of docs, the pending documents sharing a band with
// it (each once, newest first: syndication.ChooseGroup does not depend on
// the order) and the earliest first_seen of a pending earlier revision of
// it (nil when none is pending).
func (p *pendingWrites) lookup(docs []*indexer.Document) (copies [][]syndication.Member, prior []*time.Time) {
	copies, prior = make([][]syndication.Member, len(docs)), make([]*time.Time, len(docs))
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.docs) == 0 {
		return copies, prior
	}
	first := p.docs[0].seq
	seen := make([]int32, len(p.docs)) // by seq-first: the last doc of docs (k+1) it was a copy of
	for k, d := range docs {
		for _, band := range d.Bands {
			key := p.bandKey(band)
			for seq := p.byBand.get(key); ; {
				x := p.doc(seq)
				if x == nil {
					break
				}
				if seen[seq-first] != int32(k+1) {
					seen[seq-first] = int32(k + 1)
					copies[k] = append(copies[k], x.member)
				}
				j := slices.Index(x.keys, key)
				if j < 0 || x.prev[j] >= seq { // cannot be: a chain goes back in time
					break
				}
				seq = x.prev[j]
			}
		}
		if t, ok := p.firstSeen(d.ID); ok {
			prior[k] = &t
		}
	}
	return copies, prior
}

// firstSeen is the earliest first_seen of the pending revisions of article
// id, if any. Call with mu held.
func (p *pendingWrites) firstSeen(id string) (time.Time, bool) {
	var t time.Time
	found := false
	for x := p.doc(p.byID[id]); x != nil; x = p.doc(x.prevID) {
		t, found = indexer.Earliest(t, x.firstSeen), true
	}
	return t, found
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

// forget drops the documents numbered up to seq, and the entries of
// byBand and byID that still name one of them (no later doc has that band
// or id). Call with mu held.
func (p *pendingWrites) forget(seq uint64) {
	drop := 0
	for drop < len(p.docs) && p.docs[drop].seq <= seq {
		drop++
	}
	for _, d := range p.docs[:drop] {
		for _, k := range d.keys {
			p.byBand.deleteIf(k, d.seq)
		}
		if p.byID[d.member.ID] == d.seq {
			delete(p.byID, d.member.ID)
		}
	}
	clear(p.docs[:drop]) // for the collector
	p.docs = p.docs[drop:]
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
