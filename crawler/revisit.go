package crawler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"time"
)

// RevisitPolicy says when a known article is fetched again, with a
// conditional GET, whether or not a listing, feed or sitemap still links
// to it. It follows StormCrawler's adaptive scheduler: stories are edited
// most in their first hours, so young ones are revisited often and old
// ones rarely; a story that keeps being unchanged backs off (up to
// MaxBackoff times its age's interval), one that changed comes back at
// half the interval. A feed's <updated> or a sitemap's <lastmod> later
// than our last fetch makes an article due at once.
type RevisitPolicy struct {
	// YoungFor: a story younger than this (since we first saw it) is
	// revisited every pass.
	YoungFor time.Duration
	// FreshFor / FreshEvery: then every FreshEvery until it is FreshFor old.
	FreshFor, FreshEvery time.Duration
	// RecentFor / RecentEvery: then every RecentEvery until RecentFor old.
	RecentFor, RecentEvery time.Duration
	// OldEvery: older stories are revisited this rarely.
	OldEvery time.Duration
	// OffTopicEvery: articles outside the topics are revisited this rarely.
	OffTopicEvery time.Duration
	// ForgetAfter: a story older than this found unchanged leaves the
	// revisit queue (links, feeds and sitemaps still reach it).
	ForgetAfter time.Duration
	// MaxBackoff caps how many times its age's interval an unchanged story
	// may wait.
	MaxBackoff int
	// MaxPerPass bounds the revisits of one pass, so that new stories come
	// first; 0 means half of MaxPages.
	MaxPerPass int
}

// Defaults of RevisitPolicy.
const (
	DefaultRevisitYoungFor      = 6 * time.Hour
	DefaultRevisitFreshFor      = 48 * time.Hour
	DefaultRevisitFreshEvery    = time.Hour
	DefaultRevisitRecentFor     = 30 * 24 * time.Hour
	DefaultRevisitRecentEvery   = 24 * time.Hour
	DefaultRevisitOldEvery      = 7 * 24 * time.Hour
	DefaultRevisitOffTopicEvery = 7 * 24 * time.Hour
	DefaultRevisitForgetAfter   = 90 * 24 * time.Hour
	DefaultRevisitMaxBackoff    = 4
	// DefaultDeadLinkTTL is how long a 404 or 410 is remembered.
	DefaultDeadLinkTTL = 7 * 24 * time.Hour
)

func (r RevisitPolicy) withDefaults(maxPages int) (RevisitPolicy, error) {
	for _, d := range []time.Duration{r.YoungFor, r.FreshFor, r.FreshEvery, r.RecentFor, r.RecentEvery, r.OldEvery, r.OffTopicEvery, r.ForgetAfter} {
		if d < 0 {
			return r, errors.New("Options.Revisit durations must not be negative")
		}
	}
	if r.MaxBackoff < 0 || r.MaxPerPass < 0 {
		return r, errors.New("Options.Revisit.MaxBackoff and MaxPerPass must not be negative")
	}
	r.YoungFor = cmp.Or(r.YoungFor, DefaultRevisitYoungFor)
	r.FreshFor = cmp.Or(r.FreshFor, DefaultRevisitFreshFor)
	r.FreshEvery = cmp.Or(r.FreshEvery, DefaultRevisitFreshEvery)
	r.RecentFor = cmp.Or(r.RecentFor, DefaultRevisitRecentFor)
	r.RecentEvery = cmp.Or(r.RecentEvery, DefaultRevisitRecentEvery)
	r.OldEvery = cmp.Or(r.OldEvery, DefaultRevisitOldEvery)
	r.OffTopicEvery = cmp.Or(r.OffTopicEvery, DefaultRevisitOffTopicEvery)
	r.ForgetAfter = cmp.Or(r.ForgetAfter, DefaultRevisitForgetAfter)
	r.MaxBackoff = cmp.Or(r.MaxBackoff, DefaultRevisitMaxBackoff)
	r.MaxPerPass = cmp.Or(r.MaxPerPass, max(1, maxPages/2))
	if !(r.YoungFor <= r.FreshFor && r.FreshFor <= r.RecentFor) {
		return r, fmt.Errorf("Options.Revisit: want YoungFor <= FreshFor <= RecentFor, got %s, %s, %s", r.YoungFor, r.FreshFor, r.RecentFor)
	}
	return r, nil
}

// interval is how long after a fetch at now an entry is due again.
func (r RevisitPolicy) interval(e revisitEntry, now time.Time) time.Duration {
	age := now.Sub(time.Unix(e.Born, 0))
	var base time.Duration
	switch {
	case e.OffTopic:
		base = r.OffTopicEvery
	case age < r.YoungFor:
		return 0 // every pass
	case age < r.FreshFor:
		base = r.FreshEvery
	case age < r.RecentFor:
		base = r.RecentEvery
	default:
		base = r.OldEvery
	}
	switch {
	case e.Streak < 0: // it just changed: it may change again soon
		return base / 2
	case e.Streak > 0:
		return base * time.Duration(min(1<<min(e.Streak, 16), r.MaxBackoff))
	}
	return base
}

// revisitEntry is one known article in a source's revisit queue. Times
// are Unix seconds, to keep a queue of 100k stories small.
type revisitEntry struct {
	Due      int64 `json:"d"`           // next revisit
	Born     int64 `json:"b"`           // first seen
	Last     int64 `json:"l"`           // last fetched (200 or 304)
	Streak   int   `json:"s,omitempty"` // unchanged revisits in a row; -1: it changed last time
	OffTopic bool  `json:"o,omitempty"`
}

// revisitShards splits a source's queue into records by URL hash: with
// 100k stories a shard holds about 1,500 (some 200 KB), well under the
// bus's message size, and one pass rewrites only the shards it changed.
const revisitShards = 64

func revisitKey(source string, shard int) string {
	return fmt.Sprintf("revisit.%s.%02d", source, shard)
}

func shardOf(u string) int {
	h := fnv.New32a()
	h.Write([]byte(u))
	return int(h.Sum32() % revisitShards)
}

// revisitQueue is a source's known articles, by URL, loaded at the start
// of the source's pass and written back, shard by shard, at its end.
type revisitQueue struct {
	source  string
	mu      sync.Mutex
	shards  [revisitShards]map[string]revisitEntry
	dirty   [revisitShards]bool
	due     []string        // URLs due when the pass started, most overdue first
	handled map[string]bool // URLs fetched or decided on in this pass
}

// loadQueue reads a source's revisit queue; a shard that cannot be read
// starts empty (its stories are found again by links, feeds and sitemaps).
func (p *pass) loadQueue(s *site) *revisitQueue {
	q := &revisitQueue{source: s.name, handled: make(map[string]bool)}
	now := p.opts.Now().Unix()
	type due struct {
		url string
		at  int64
	}
	var dues []due
	for i := range q.shards {
		m := map[string]revisitEntry{}
		if p.opts.State != nil {
			if _, err := p.state.get(p.ctx, revisitKey(s.name, i), &m); err != nil {
				p.log.Warn("revisit queue unavailable", "source", s.name, "shard", i, "err", err)
			}
		}
		q.shards[i] = m
		for u, e := range m {
			if e.Due <= now {
				dues = append(dues, due{u, e.Due})
			}
		}
	}
	slices.SortFunc(dues, func(a, b due) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.url, b.url)) })
	for _, d := range dues {
		q.due = append(q.due, d.url)
	}
	p.mu.Lock()
	p.sum.RevisitsDue += len(q.due)
	p.mu.Unlock()
	return q
}

// lookup returns the entry of u.
func (q *revisitQueue) lookup(u string) (revisitEntry, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.shards[shardOf(u)][u]
	return e, ok
}

// claim marks u handled in this pass; false if it already was.
func (q *revisitQueue) claim(u string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.handled[u] {
		return false
	}
	q.handled[u] = true
	return true
}

// outcome of a fetch, for the schedule.
type outcome int

const (
	fetchedNew outcome = iota
	fetchedSame
	fetchedChanged
)

// record schedules u's next revisit after a fetch at now. born is when
// the story was first seen (zero: now, for a story new to the queue).
func (q *revisitQueue) record(pol RevisitPolicy, u string, now time.Time, o outcome, offTopic bool, born time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := shardOf(u)
	e, ok := q.shards[i][u]
	switch {
	case !ok:
		e = revisitEntry{Born: cmp.Or(born, now).Unix()}
	case o == fetchedSame:
		e.Streak = max(e.Streak, 0) + 1
	case o == fetchedChanged:
		e.Streak = -1
	default:
		e.Streak = 0
	}
	e.OffTopic, e.Last = offTopic, now.Unix()
	if o == fetchedSame && now.Sub(time.Unix(e.Born, 0)) > pol.ForgetAfter {
		delete(q.shards[i], u) // long unchanged: links alone reach it now
	} else {
		e.Due = now.Add(pol.interval(e, now)).Unix()
		q.shards[i][u] = e
	}
	q.dirty[i] = true
}

// forget drops u (it is gone: 404, 410).
func (q *revisitQueue) forget(u string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := shardOf(u)
	if _, ok := q.shards[i][u]; ok {
		delete(q.shards[i], u)
		q.dirty[i] = true
	}
}

// save writes the shards this pass changed. It outlives a cancelled pass
// (briefly): a story created in it must not drop out of the schedule.
func (p *pass) saveQueue(q *revisitQueue) {
	if q == nil || p.opts.State == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), 10*time.Second)
	defer cancel()
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, dirty := range q.dirty {
		if !dirty {
			continue
		}
		if err := p.state.put(ctx, revisitKey(q.source, i), q.shards[i]); err != nil {
			p.stateFailed(&site{name: q.source}, revisitKey(q.source, i), err)
			continue
		}
		q.dirty[i] = false
	}
}

// queueOf returns the revisit queue of s (nil without a StateStore).
func (p *pass) queueOf(s *site) *revisitQueue {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.queues[s.name]
}

// takeRevisit takes one revisit from the pass's allowance.
func (p *pass) takeRevisit() bool {
	if p.revisitsLeft.Add(-1) >= 0 {
		return true
	}
	p.revisitsLeft.Add(1)
	return false
}

// schedule decides, as its request goes out, whether a link to u is
// fetched: a URL not in the queue is; a known article only when it is due
// or a feed or sitemap dates a change after our last fetch, and while the
// pass's revisit allowance lasts. A queued revisit (revisitDue) was
// decided already. Seeds are always fetched.
func (p *pass) schedule(s *site, u string) (fetch bool) {
	q := p.queueOf(s)
	if q == nil {
		return true
	}
	p.mu.Lock()
	queued := p.revisiting[u]
	hint := p.hints[u]
	p.mu.Unlock()
	if queued {
		p.mu.Lock()
		p.sum.Revisits++
		p.mu.Unlock()
		return true
	}
	e, known := q.lookup(u)
	if !known || slices.Contains(s.seeds, u) {
		return true
	}
	now := p.opts.Now()
	hinted := !hint.IsZero() && hint.Unix() > e.Last
	if e.Due > now.Unix() && !hinted {
		p.skip(s, u, skipNotDue)
		return false
	}
	if !q.claim(u) {
		return false
	}
	if !p.takeRevisit() {
		p.skip(s, u, skipBudget)
		return false
	}
	p.mu.Lock()
	p.sum.Revisits++
	p.mu.Unlock()
	return true
}

// revisitDue fetches, once a source's discovery is done, the due stories
// no link led to, most overdue first, while the revisit allowance and the
// page budget last. They are fetched for themselves: their links are not
// followed.
func (p *pass) revisitDue(s *site) {
	q := p.queueOf(s)
	if q == nil {
		return
	}
	for _, u := range q.due {
		if p.ctx.Err() != nil {
			return
		}
		if !q.claim(u) {
			continue
		}
		if !p.budget.left(s.name) || !p.takeRevisit() {
			p.skip(s, u, skipBudget)
			continue
		}
		p.mu.Lock()
		p.revisiting[u] = true
		p.mu.Unlock()
		p.visit(s, u, s.col.Visit)
	}
}

// isRevisit reports whether u was queued by revisitDue.
func (p *pass) isRevisit(u string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.revisiting[u]
}

// scheduled records the outcome of fetching an article (or an off-topic
// one) for its next revisit.
func (p *pass) scheduled(s *site, u string, o outcome, offTopic bool, born, now time.Time) {
	if q := p.queueOf(s); q != nil {
		q.record(p.opts.Revisit, u, now, o, offTopic, born)
	}
}
