package events_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/news"
)

// A doc the sink refuses for good is dead-lettered on its first delivery,
// and a batch holding only such a doc is no outage: the consumer must not
// pause before the next batch. RetryDelay is far longer than the test may
// run, so a pause shows up as the next event never being stored.
func TestConsumeDoesNotPauseForADocRefusedForGood(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	in := newInspector(t, srv.ClientURL())
	dlq, err := in.nc.SubscribeSync(news.DeadLetterSubject(events.DefaultDurable))
	if err != nil {
		t.Fatal(err)
	}
	if err := in.nc.FlushWithContext(ctx); err != nil {
		t.Fatal(err)
	}

	refused := event(news.ArticleCreated, article("x", "https://x.example/refused", "refused"))
	sink := newMemSink()
	sink.refuse[refused.Data.ID] = true
	opts := fastConsume()
	opts.RetryDelay = 10 * time.Minute
	stop := consume(ctx, t, bus, opts, sink)
	publish(ctx, t, bus, refused) // alone in its batch

	m, err := dlq.NextMsgWithContext(ctx)
	if err != nil {
		t.Fatalf("waiting for the dead letter: %v", err)
	}
	if got := m.Header.Get(events.HeaderDLQDeliveries); got != "1" {
		t.Errorf("dead-lettered after %s deliveries, want 1", got)
	}
	if r := m.Header.Get(events.HeaderDLQReason); !strings.Contains(r, "rejected by sink for good") {
		t.Errorf("dead letter reason %q, want it to say the sink refused it for good", r)
	}

	next := event(news.ArticleCreated, article("x", "https://x.example/next", "next"))
	publish(ctx, t, bus, next)
	sink.waitFor(ctx, t, "the next event, without a pause", func(s *memSink) bool { return s.stored[next.Data.ID] == 1 })
	stop()
}

// proberSink rejects every doc while down and says so when pinged: a sink
// whose backend went away.
type proberSink struct {
	*memSink
	mu     sync.Mutex
	down   bool
	failed int // pings answered with an error
}

var errDown = errors.New("connection refused")

func (s *proberSink) setDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

func (s *proberSink) isDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.down
}

func (s *proberSink) failedPings() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

func (s *proberSink) Ping(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.down {
		return nil
	}
	s.failed++
	return errDown
}

func (s *proberSink) Store(ctx context.Context, docs []news.Article) []error {
	if s.isDown() {
		errs := make([]error, len(docs))
		for i := range errs {
			errs[i] = errDown
		}
		s.memSink.mu.Lock()
		s.memSink.calls = append(s.memSink.calls, storeCall{at: time.Now()})
		s.memSink.mu.Unlock()
		select {
		case s.changed <- struct{}{}:
		default:
		}
		return errs
	}
	return s.memSink.Store(ctx, docs)
}

// After the sink rejected a whole batch, the consumer pauses (here for
// minutes) before storing the next one. A sink that can be probed is
// probed meanwhile, and the pause ends as soon as it answers again: the
// event waiting in the next batch, and the rejected one (not held back by
// a redelivery delay of minutes), are stored long before the pause is over.
func TestConsumeResumesAsSoonAsTheSinkAnswersAgain(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())

	sink := &proberSink{memSink: newMemSink(), down: true}
	opts := fastConsume()
	opts.RetryDelay = 5 * time.Minute // the pause, and the retry of the rejected event
	stop := consume(ctx, t, bus, opts, sink)

	first := event(news.ArticleCreated, article("x", "https://x.example/during", "during"))
	publish(ctx, t, bus, first)
	sink.waitFor(ctx, t, "the first batch rejected", func(s *memSink) bool { return len(s.calls) >= 1 })
	eventually(ctx, t, "a failed probe", func() bool { return sink.failedPings() > 0 })

	waiting := event(news.ArticleCreated, article("x", "https://x.example/after", "after"))
	publish(ctx, t, bus, waiting) // fetched and held while the consumer pauses
	sink.setDown(false)
	sink.waitFor(ctx, t, "the event behind the pause stored", func(s *memSink) bool { return s.stored[waiting.Data.ID] == 1 })
	sink.waitFor(ctx, t, "the rejected event stored", func(s *memSink) bool { return s.stored[first.Data.ID] == 1 })
	eventually(ctx, t, "every event acked", func() bool { return pending(ctx, t, bus, "") == 0 })
	stop()
}
