package events_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/news"
)

// revisionOf is an event of revision rev of one article, with text that
// differs per revision, as an edited story's does.
func revisionOf(rev int, text string) news.ArticleEvent {
	a := article("wired", "https://wired.example/edited", text)
	a.Revision = rev
	kind := news.ArticleUpdated
	if rev == 1 {
		kind = news.ArticleCreated
	}
	return event(kind, a)
}

// A crawler that stalled can publish revision 1 after another crawler
// published revision 2. Fetched in one batch, the consumer must store
// revision 2, not the later event in stream order.
func TestConsumeKeepsTheHigherRevisionWithinABatch(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())

	rev2 := revisionOf(2, "the corrected story")
	rev1 := revisionOf(1, "the first draft")
	publish(ctx, t, bus, rev2, rev1) // both stored before the consumer starts: one fetch
	id := rev2.Data.ID

	sink := newMemSink()
	stop := consume(ctx, t, bus, fastConsume(), sink)
	sink.waitFor(ctx, t, "the article", hasDocs(1))
	eventually(ctx, t, "both events answered", func() bool { return pending(ctx, t, bus, "") == 0 })
	stop()

	if got := sink.docs[id]; got.Revision != 2 || got.Text != rev2.Data.Text {
		t.Errorf("stored revision %d (%q), want revision 2 (%q)", got.Revision, got.Text, rev2.Data.Text)
	}
	if n := sink.stored[id]; n != 1 {
		t.Errorf("article stored %d times, want once (one batch, one revision kept)", n)
	}
}

// With equal revisions (a redelivery, or events from before revisions
// existed) the later event in the stream still wins.
func TestConsumeBreaksARevisionTieByStreamOrder(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())

	first := revisionOf(0, "published first")
	second := revisionOf(1, "published second")
	publish(ctx, t, bus, first, second)

	sink := newMemSink()
	stop := consume(ctx, t, bus, fastConsume(), sink)
	sink.waitFor(ctx, t, "the article", hasDocs(1))
	eventually(ctx, t, "both events answered", func() bool { return pending(ctx, t, bus, "") == 0 })
	stop()

	if got := sink.docs[first.Data.ID].Text; got != second.Data.Text {
		t.Errorf("stored text %q, want the later event's %q", got, second.Data.Text)
	}
}

// Every fetch ends on its wait; a message the server delivered just before
// must still reach the sink in that fetch, not be dropped by the client and
// redelivered after AckWait. A very short MaxWait makes fetches end
// hundreds of times while events of 40 kB trickle in, so messages are often
// on the wire when a fetch ends: one that drops them shows up as extra
// deliveries (without the fix, about 4 runs in 5 failed here).
func TestConsumeDropsNoFetchedMessageWhileEventsTrickleIn(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	in := newInspector(t, srv.ClientURL())

	const n = 500
	opts := fastConsume()
	opts.MaxWait = time.Millisecond
	// A dropped message comes back after AckWait: short, so that with the
	// defect the test still ends and reports the redeliveries.
	opts.AckWait = time.Second
	sink := newMemSink()
	stop := consume(ctx, t, bus, opts, sink)

	evs := make([]news.ArticleEvent, n)
	text := strings.Repeat("a story long enough to take a while on the wire. ", 800) // 40 kB
	for i := range evs {
		evs[i] = event(news.ArticleCreated, article("wired", fmt.Sprintf("https://wired.example/%d", i), text))
	}
	for _, ev := range evs {
		publish(ctx, t, bus, ev)
		time.Sleep(time.Millisecond) // trickle: events arrive while fetches come and go
	}
	sink.waitFor(ctx, t, "every event stored", hasDocs(n))
	eventually(ctx, t, "every event acked", func() bool { return pending(ctx, t, bus, "") == 0 })
	info := in.consumerInfo(ctx, t, events.DefaultDurable)
	stop()

	if info.NumRedelivered != 0 {
		t.Errorf("consumer redelivered %d events, want 0 (fetched messages were dropped)", info.NumRedelivered)
	}
	if info.Delivered.Consumer != n {
		t.Errorf("consumer made %d deliveries for %d events, want one each", info.Delivered.Consumer, n)
	}
	for _, ev := range evs {
		if got := sink.stored[ev.Data.ID]; got != 1 {
			t.Errorf("event %s stored %d times, want once", ev.Data.URL, got)
		}
	}
}
