package events_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// outage is how long a test keeps the server down while a publish or a
// renewal is in flight: longer than the client's 5 s request timeout, so a
// single try cannot ride it out, and a few seconds as a node restart or a
// leader election takes.
const outage = 6 * time.Second

// connectBudget opens a Bus on url with the given retry budget.
func connectBudget(ctx context.Context, t testing.TB, url string, budget time.Duration) *events.Bus {
	t.Helper()
	bus, err := events.Connect(ctx, events.Options{URL: url, Name: t.Name(), RetryBudget: budget})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(bus.Close)
	return bus
}

// result runs f in the background and returns where its error will arrive.
func result(f func() error) <-chan error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	return done
}

func TestPublishRidesOutAServerRestart(t *testing.T) {
	ctx := testContext(t)
	srv := testenv.RestartableNATS(t)
	bus := connectBudget(ctx, t, srv.URL(), 30*time.Second)
	ev := event(news.ArticleCreated, article("wired", "https://wired.example/restart", "text"))

	srv.Stop()
	// The crawler publishes with a context without deadline, as here.
	done := result(func() error { return bus.Publish(context.WithoutCancel(ctx), ev) })
	// The outage itself, not a wait for something not to happen.
	time.Sleep(outage)
	srv.Start()

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Publish across a server restart: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Publish did not return after the server came back")
	}
	// Every try carried the same Nats-Msg-Id: the tries the client
	// buffered while disconnected and the one that got the ack are one
	// event in the stream.
	in := newInspector(t, srv.URL())
	if got := in.streamMsgs(ctx, t); got != 1 {
		t.Fatalf("stream holds %d messages after one publish across a restart, want 1", got)
	}
}

func TestPublishFailsClearlyWhenTheServerStaysDownPastTheBudget(t *testing.T) {
	ctx := testContext(t)
	srv := testenv.RestartableNATS(t)
	bus := connectBudget(ctx, t, srv.URL(), 300*time.Millisecond)
	ev := event(news.ArticleCreated, article("wired", "https://wired.example/down", "text"))
	subject := news.ArticleSubject(news.ArticleCreated, "wired", news.TopicToken(nil))

	srv.Stop()
	err := bus.Publish(context.WithoutCancel(ctx), ev)
	srv.Start() // so the Bus closes without waiting for a drain
	if err == nil {
		t.Fatal("Publish with the server down succeeded")
	}
	for _, want := range []string{subject, "no JetStream response for 300ms", "retry budget nats.retry_budget"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Publish error %q does not say %q", err, want)
		}
	}
}
