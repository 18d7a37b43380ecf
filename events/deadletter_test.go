package events_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/news"
)

func TestPoisonMessagesReachTheDeadLetterSubjectAndTheRestFlow(t *testing.T) {
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
	// Invalid JSON, an unknown schema version, a doc the index refuses for
	// good and one it keeps rejecting, among valid events.
	if _, err := in.js.Publish(ctx, "newsdesk.article.created.x.none", []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	future := event(news.ArticleCreated, article("x", "https://x.example/future", "future"))
	future.Type = "io.newsdesk.article.created.v2"
	data, err := json.Marshal(future)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.js.Publish(ctx, "newsdesk.article.created.x.none", data); err != nil {
		t.Fatal(err)
	}
	refused := event(news.ArticleCreated, article("x", "https://x.example/refused", "refused"))
	flaky := event(news.ArticleCreated, article("x", "https://x.example/flaky", "flaky"))
	valid := []news.ArticleEvent{
		event(news.ArticleCreated, article("x", "https://x.example/a", "a")),
		event(news.ArticleUpdated, article("x", "https://x.example/b", "b")),
	}
	publish(ctx, t, bus, refused, valid[0], flaky, valid[1])

	sink := newMemSink()
	sink.refuse[refused.Data.ID] = true
	sink.reject[flaky.Data.ID] = 1000
	opts := fastConsume()
	opts.MaxDeliver = 3
	stop := consume(ctx, t, bus, opts, sink)
	sink.waitFor(ctx, t, "the valid events among the poison", hasDocs(2))

	reasons := map[string]string{} // original seq -> reason
	for range 4 {
		m, err := dlq.NextMsgWithContext(ctx)
		if err != nil {
			t.Fatalf("waiting for 4 dead letters (have %v): %v", reasons, err)
		}
		reasons[m.Header.Get(events.HeaderDLQSequence)] = m.Header.Get(events.HeaderDLQReason)
		if m.Header.Get(events.HeaderDLQSubject) == "" || m.Header.Get(events.HeaderDLQConsumer) != events.DefaultDurable {
			t.Errorf("dead letter headers %v lack the original subject or consumer", m.Header)
		}
	}
	stop()
	for seq, want := range map[string]string{
		"1": "not an article event",
		"2": `unknown event type "io.newsdesk.article.created.v2"`,
		"3": "rejected by sink for good",
		"5": "rejected by sink after 3 deliveries",
	} {
		if !strings.Contains(reasons[seq], want) {
			t.Errorf("dead letter of seq %s: reason %q, want %q", seq, reasons[seq], want)
		}
	}
	if n := sink.rejected[refused.Data.ID]; n != 1 {
		t.Errorf("a doc refused for good was offered %d times, want 1", n)
	}
	if len(sink.docs) != 2 {
		t.Errorf("sink holds %d docs, want the 2 valid ones", len(sink.docs))
	}
	// Dead letters are published before their Term, so wait for those.
	waitNoPending(ctx, t, bus, "dead letters must not block the stream")

	// dlq list shows them, oldest first; replay re-drives one to the index.
	list, err := bus.DeadLetters(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("DeadLetters = %d entries, want 4: %+v", len(list), list)
	}
	var flakyDL events.DeadLetter
	for _, dl := range list {
		if dl.StreamSeq == 5 {
			flakyDL = dl
		}
	}
	if flakyDL.MsgID != flaky.ID || flakyDL.Deliveries != 3 || flakyDL.Stream != events.DefaultStream {
		t.Fatalf("dead letter of the flaky doc: %+v", flakyDL)
	}
	sink.mu.Lock()
	sink.reject[flaky.Data.ID] = 0 // the index was fixed
	sink.mu.Unlock()
	if err := bus.ReplayDeadLetter(ctx, flakyDL.Seq); err != nil {
		t.Fatalf("ReplayDeadLetter: %v", err)
	}
	stop = consume(ctx, t, bus, opts, sink)
	sink.waitFor(ctx, t, "the replayed doc", hasDocs(3))
	stop()
	if got := sink.docs[flaky.Data.ID].Text; got != "flaky" {
		t.Errorf("replayed doc text %q", got)
	}
	if list, err := bus.DeadLetters(ctx, events.DefaultDurable, 0); err != nil || len(list) != 3 {
		t.Errorf("after a replay DeadLetters = %d entries (%v), want 3", len(list), err)
	}
}

func TestAConsumerKilledMidBatchRedeliversWithoutDuplicates(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	pub := connect(ctx, t, srv.ClientURL())
	const n = 10
	var evs []news.ArticleEvent
	for i := range n {
		evs = append(evs, event(news.ArticleCreated, article("x", "https://x.example/"+string(rune('a'+i)), "text")))
	}
	publish(ctx, t, pub, evs...)

	// The first consumer writes its batch to the index and dies before it
	// could ack.
	index := newMemSink()
	dying := &stallingSink{inner: index, stored: make(chan struct{}), release: make(chan struct{})}
	victim, err := events.Connect(ctx, events.Options{URL: srv.ClientURL(), Name: "victim"})
	if err != nil {
		t.Fatal(err)
	}
	opts := fastConsume()
	opts.Batch = n
	opts.AckWait = 300 * time.Millisecond // how soon the server redelivers; nothing asserts on it
	done := make(chan error, 1)
	go func() { done <- victim.Consume(ctx, opts, dying) }()
	select {
	case <-dying.stored:
	case <-ctx.Done():
		t.Fatal("the first consumer never stored its batch")
	}
	victim.Kill()
	close(dying.release)
	if err := <-done; err == nil {
		t.Error("Consume on a killed connection returned nil")
	}

	stop := consume(ctx, t, connect(ctx, t, srv.ClientURL()), opts, index)
	index.waitFor(ctx, t, "every event of the killed batch redelivered", func(s *memSink) bool {
		for _, ev := range evs {
			if s.stored[ev.Data.ID] < 2 {
				return false
			}
		}
		return true
	})
	stop()
	if len(index.docs) != n {
		t.Errorf("index holds %d docs after the redelivery, want %d", len(index.docs), n)
	}
	if got := pending(ctx, t, pub, ""); got != 0 {
		t.Errorf("Pending = %d, want 0", got)
	}
}

// stallingSink stores into inner, then blocks until release is closed: a
// process that dies between the index write and the ack.
type stallingSink struct {
	inner   *memSink
	stored  chan struct{}
	release chan struct{}
	once    sync.Once
}

func (s *stallingSink) Store(ctx context.Context, docs []news.Article) []error {
	errs := s.inner.Store(ctx, docs)
	s.once.Do(func() { close(s.stored) })
	<-s.release
	return errs
}

// waitNoPending waits until the indexer's durable has nothing left to ack.
func waitNoPending(ctx context.Context, t *testing.T, bus *events.Bus, why string) {
	t.Helper()
	for pending(ctx, t, bus, "") != 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("Pending stays %d: %s", pending(context.Background(), t, bus, ""), why)
		case <-time.After(10 * time.Millisecond):
		}
	}
}
