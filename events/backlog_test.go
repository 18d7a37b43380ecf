package events_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"newsdesk/news"
)

// backlogSink is a memSink that records what each Backlog call said, in
// the order of the Stores it came before.
type backlogSink struct {
	*memSink
	mu     sync.Mutex
	behind []bool
}

func (s *backlogSink) Backlog(behind bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behind = append(s.behind, behind)
}

func (s *backlogSink) Store(ctx context.Context, docs []news.Article) []error {
	return s.memSink.Store(ctx, docs)
}

// TestConsumeTellsTheSinkWhileABacklogWaits: 15 events stored before the
// consumer starts, in batches of 5, are three Stores; before the first two a
// whole batch or more is still waiting (behind), before the last nothing is.
func TestConsumeTellsTheSinkWhileABacklogWaits(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	publish(ctx, t, bus, articleEvents(15)...)

	sink := &backlogSink{memSink: newMemSink()}
	opts := fastConsume()
	opts.Batch = 5
	stop := consume(ctx, t, bus, opts, sink)
	sink.waitFor(ctx, t, "15 docs", hasDocs(15))
	stop()

	sink.mu.Lock()
	defer sink.mu.Unlock()
	if want := []bool{true, true, false}; !slices.Equal(sink.behind, want) || len(sink.calls) != 3 {
		t.Errorf("Backlog before each of %d Stores: %v, want %v", len(sink.calls), sink.behind, want)
	}
}
