package events_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/events"
	"newsdesk/news"
)

// testContext bounds every wait of a test, so a broken test fails instead of
// hanging.
func testContext(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// startServer starts an embedded server on a random port in dir and shuts
// it down at the end of the test.
func startServer(t testing.TB, dir string) *events.EmbeddedServer {
	t.Helper()
	srv, err := events.StartEmbedded(events.EmbeddedOptions{DataDir: dir, Port: -1}, nil)
	if err != nil {
		t.Fatalf("StartEmbedded: %v", err)
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

// connect opens a Bus on url and closes it at the end of the test.
func connect(ctx context.Context, t testing.TB, url string) *events.Bus {
	t.Helper()
	bus, err := events.Connect(ctx, events.Options{URL: url, Name: t.Name()})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(bus.Close)
	return bus
}

// inspector is a plain client, independent of the Bus under test, to look at
// what the server holds and to publish raw messages.
type inspector struct {
	nc *nats.Conn
	js jetstream.JetStream
}

func newInspector(t *testing.T, url string) *inspector {
	t.Helper()
	nc, err := nats.Connect(url, nats.Name(t.Name()+"-inspector"))
	if err != nil {
		t.Fatalf("connecting inspector: %v", err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("creating inspector JetStream context: %v", err)
	}
	return &inspector{nc: nc, js: js}
}

// terminations subscribes to the server's advisories for messages the
// indexer's durable consumer terminated, so a test can see a poison message
// being given up on.
func (in *inspector) terminations(ctx context.Context, t *testing.T) *nats.Subscription {
	t.Helper()
	sub, err := in.nc.SubscribeSync("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED." + events.DefaultStream + "." + events.DefaultDurable)
	if err != nil {
		t.Fatal(err)
	}
	if err := in.nc.FlushWithContext(ctx); err != nil {
		t.Fatal(err)
	}
	return sub
}

// streamMsgs is how many messages the article stream holds.
func (in *inspector) streamMsgs(ctx context.Context, t *testing.T) uint64 {
	t.Helper()
	s, err := in.js.Stream(ctx, events.DefaultStream)
	if err != nil {
		t.Fatalf("reading stream: %v", err)
	}
	return s.CachedInfo().State.Msgs
}

// article returns a minimal parsed article from source at url.
func article(source, url, text string) news.Article {
	return news.Article{Source: source, URL: url, Title: "Title of " + url, Text: text}
}

var eventTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func event(kind news.EventKind, a news.Article) news.ArticleEvent {
	return news.NewArticleEvent(kind, a, eventTime)
}

// articleEvents returns n creation events of distinct articles.
func articleEvents(n int) []news.ArticleEvent {
	evs := make([]news.ArticleEvent, n)
	for i := range evs {
		evs[i] = event(news.ArticleCreated, article("wired", fmt.Sprintf("https://wired.example/%d", i), "text"))
	}
	return evs
}

func publish(ctx context.Context, t testing.TB, bus *events.Bus, evs ...news.ArticleEvent) {
	t.Helper()
	for _, ev := range evs {
		if err := bus.Publish(ctx, ev); err != nil {
			t.Fatalf("Publish %s: %v", ev.ID, err)
		}
	}
}

// memSink is an in-memory Sink. It records every Store call, and rejects a
// doc as many times as reject says before accepting it.
type memSink struct {
	mu       sync.Mutex
	docs     map[string]news.Article // accepted docs by id
	stored   map[string]int          // accepted stores per id
	rejected map[string]int          // rejections per id
	reject   map[string]int          // id -> rejections still to make
	refuse   map[string]bool         // ids rejected for good (a permanent error)
	calls    []storeCall             // every Store, in order
	changed  chan struct{}
}

func newMemSink() *memSink {
	return &memSink{
		docs:     map[string]news.Article{},
		stored:   map[string]int{},
		rejected: map[string]int{},
		reject:   map[string]int{},
		refuse:   map[string]bool{},
		changed:  make(chan struct{}, 1),
	}
}

// storeCall is one call of memSink.Store.
type storeCall struct {
	at  time.Time // when it was called
	ids []string  // the docs it was given
}

var errRejected = errors.New("rejected by test sink")

// permanentErr is how a sink says a doc can never be stored.
type permanentErr struct{}

func (permanentErr) Error() string { return "mapper_parsing_exception: refused for good" }

func (permanentErr) Is(target error) bool { return target == news.ErrPermanent }

func (s *memSink) Store(_ context.Context, docs []news.Article) []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	call := storeCall{at: time.Now()}
	errs := make([]error, len(docs))
	for i, d := range docs {
		call.ids = append(call.ids, d.ID)
		if s.refuse[d.ID] {
			s.rejected[d.ID]++
			errs[i] = fmt.Errorf("storing %s: %w", d.ID, permanentErr{})
			continue
		}
		if s.reject[d.ID] > 0 {
			s.reject[d.ID]--
			s.rejected[d.ID]++
			errs[i] = fmt.Errorf("storing %s: %w", d.ID, errRejected)
			continue
		}
		s.docs[d.ID] = d
		s.stored[d.ID]++
	}
	s.calls = append(s.calls, call)
	select {
	case s.changed <- struct{}{}:
	default:
	}
	return errs
}

// gatedSink is a memSink whose Store waits until open is called or its ctx
// ends, and then stores (as a bulk request already sent would): it holds a
// batch in the sink for as long as a test needs.
type gatedSink struct {
	*memSink
	gate chan struct{}
	once sync.Once
}

func newGatedSink() *gatedSink { return &gatedSink{memSink: newMemSink(), gate: make(chan struct{})} }

// open lets every Store through, those waiting and those to come.
func (s *gatedSink) open() { s.once.Do(func() { close(s.gate) }) }

func (s *gatedSink) Store(ctx context.Context, docs []news.Article) []error {
	select {
	case <-s.gate:
	case <-ctx.Done():
	}
	return s.memSink.Store(ctx, docs)
}

// waitFor blocks until cond holds (checked under the sink's lock after each
// Store) or ctx ends, which fails the test.
func (s *memSink) waitFor(ctx context.Context, t testing.TB, what string, cond func(*memSink) bool) {
	t.Helper()
	for {
		s.mu.Lock()
		ok := cond(s)
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-s.changed:
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		}
	}
}

// hasDocs reports whether n distinct docs were accepted.
func hasDocs(n int) func(*memSink) bool {
	return func(s *memSink) bool { return len(s.docs) >= n }
}

// consume runs bus.Consume in the background; the returned stop cancels it,
// waits for it to return and fails the test if it returned an error.
func consume(ctx context.Context, t testing.TB, bus *events.Bus, opts events.ConsumeOptions, sink events.Sink) (stop func()) {
	t.Helper()
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- bus.Consume(cctx, opts, sink) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Consume returned %v, want nil after cancel", err)
				}
			case <-ctx.Done():
				t.Errorf("Consume did not return after cancel: %v", ctx.Err())
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// fastConsume are consume options that keep tests quick: short fetch waits
// and redelivery delays. Nothing in the tests depends on these durations.
func fastConsume() events.ConsumeOptions {
	return events.ConsumeOptions{MaxWait: 100 * time.Millisecond, RetryDelay: 10 * time.Millisecond}
}

// eventually polls cond until it holds or ctx ends, which fails the test.
func eventually(ctx context.Context, t testing.TB, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		}
	}
}

// consumerInfo reads the durable's state; zero when it does not exist yet.
func (in *inspector) consumerInfo(ctx context.Context, t testing.TB, durable string) jetstream.ConsumerInfo {
	t.Helper()
	cons, err := in.js.Consumer(ctx, events.DefaultStream, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return jetstream.ConsumerInfo{}
	}
	if err != nil {
		t.Fatalf("reading consumer %s: %v", durable, err)
	}
	return *cons.CachedInfo()
}

// ackPending is how many events the durable has delivered and not yet had
// answered: fetched by a consumer and in its hands.
func (in *inspector) ackPending(ctx context.Context, t testing.TB, durable string) int {
	t.Helper()
	return in.consumerInfo(ctx, t, durable).NumAckPending
}

// deliveries is how many times the durable delivered an event, counting
// every redelivery.
func (in *inspector) deliveries(ctx context.Context, t testing.TB, durable string) uint64 {
	t.Helper()
	return in.consumerInfo(ctx, t, durable).Delivered.Consumer
}

func pending(ctx context.Context, t testing.TB, bus *events.Bus, durable string) uint64 {
	t.Helper()
	n, err := bus.Pending(ctx, durable)
	if err != nil {
		t.Fatalf("Pending: %v", err)
	}
	return n
}
