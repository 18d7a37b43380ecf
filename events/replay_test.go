package events_test

import (
	"fmt"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/news"
)

// TestReplay reads the article stream from the start into a sink, as
// `newsdesk index --reindex` does: every article once with its newest
// event, messages that are not article events skipped, bounded by To, and
// resumable From a sequence.
func TestReplay(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	in := newInspector(t, srv.ClientURL())

	var arts []news.Article
	for i := range 5 {
		arts = append(arts, article("replay", fmt.Sprintf("https://r.example/%d", i), "first text"))
		publish(ctx, t, bus, event(news.ArticleCreated, arts[i]))
	}
	edited := arts[2]
	edited.Text, edited.Revision = "edited text", 2
	publish(ctx, t, bus, event(news.ArticleUpdated, edited))
	if _, err := in.js.Publish(ctx, news.ArticleSubject(news.ArticleCreated, "poison", ""), []byte("not json")); err != nil {
		t.Fatal(err)
	}
	last, err := bus.LastSequence(ctx)
	if err != nil || last != 7 {
		t.Fatalf("LastSequence = %d, %v; want 7", last, err)
	}

	// Up to sequence 3 only.
	sink := newMemSink()
	st, err := bus.Replay(ctx, events.ReplayOptions{To: 3}, sink)
	if err != nil || st.Events != 3 || st.LastSeq != 3 || len(sink.docs) != 3 {
		t.Fatalf("Replay To 3 = %+v, %v, %d docs; want 3 events", st, err, len(sink.docs))
	}

	// The whole stream, in batches of two: the edit lands in another batch
	// than the original, and still wins because batches go in order.
	sink = newMemSink()
	st, err = bus.Replay(ctx, events.ReplayOptions{Batch: 2}, sink)
	if err != nil {
		t.Fatal(err)
	}
	want := events.ReplayStats{Events: 6, Stored: 6, Skipped: 1, FirstSeq: 1, LastSeq: 7}
	if st != want {
		t.Errorf("Replay = %+v, want %+v", st, want)
	}
	if len(sink.docs) != 5 || sink.docs[news.DocID(edited.Key())].Text != "edited text" {
		t.Errorf("replayed %d docs, article 2 %q; want 5 and the edit", len(sink.docs), sink.docs[news.DocID(edited.Key())].Text)
	}

	// Nothing after the end: returns at once.
	st, err = bus.Replay(ctx, events.ReplayOptions{From: last + 1}, sink)
	if err != nil || st.Events != 0 {
		t.Errorf("Replay past the end = %+v, %v", st, err)
	}
	// Resuming from a sequence, with an article's two events in one batch.
	late := article("replay", "https://r.example/late", "late text")
	lateEdit := late
	lateEdit.Text, lateEdit.Revision = "late edit", 2
	publish(ctx, t, bus, event(news.ArticleCreated, late), event(news.ArticleUpdated, lateEdit))
	sink = newMemSink()
	st, err = bus.Replay(ctx, events.ReplayOptions{From: last + 1}, sink)
	if err != nil || st.Events != 2 || st.Stored != 1 || st.Superseded != 1 || st.FirstSeq != 8 {
		t.Errorf("Replay from %d = %+v, %v; want 2 events folded into 1", last+1, st, err)
	}
	if got := sink.docs[news.DocID(late.Key())].Text; got != "late edit" {
		t.Errorf("late article %q, want the edit", got)
	}
}

// TestReplayRetries checks that a doc the sink rejects is offered again, a
// doc refused for good is counted, and one rejected past Retries fails the
// replay.
func TestReplayRetries(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	a, b := article("retry", "https://r.example/a", "a"), article("retry", "https://r.example/b", "b")
	publish(ctx, t, bus, event(news.ArticleCreated, a), event(news.ArticleCreated, b))
	a.ID, b.ID = news.DocID(a.Key()), news.DocID(b.Key())

	sink := newMemSink()
	sink.reject[a.ID], sink.refuse[b.ID] = 2, true
	st, err := bus.Replay(ctx, events.ReplayOptions{RetryDelay: time.Millisecond}, sink)
	if err != nil || st.Stored != 1 || st.Rejected != 1 || sink.stored[a.ID] != 1 {
		t.Errorf("Replay = %+v, %v; want a stored after two rejections and b refused", st, err)
	}

	sink = newMemSink()
	sink.reject[a.ID] = 5
	if _, err := bus.Replay(ctx, events.ReplayOptions{Retries: 1, RetryDelay: time.Millisecond}, sink); err == nil {
		t.Error("Replay with a doc rejected past Retries succeeded")
	}
}
