package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/events"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// streamLimits reads a stream's max_age and replicas from the server.
func streamLimits(t *testing.T, natsURL, name string) (time.Duration, int) {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, name)
	if err != nil {
		t.Fatalf("reading stream %s: %v", name, err)
	}
	cfg := s.CachedInfo().Config
	return cfg.MaxAge, cfg.Replicas
}

// streamsConfig is a config on natsURL with the given stream max_age.
func streamsConfig(t *testing.T, natsURL, maxAge string) string {
	return writeConfig(t, fmt.Sprintf("data_dir: %s\nnats:\n  url: %s\n  max_age: %s\n", t.TempDir(), natsURL, maxAge))
}

// The operator's story of the issue: streams set up with 720h; a subscribe
// and a dlq list with NEWSDESK_NATS_MAX_AGE=15m leave them alone; streams
// apply with 15m refuses and says what it would shrink; --allow-shrink
// applies it.
func TestStreamsApplyIsTheOnlyCommandThatShrinksStreams(t *testing.T) {
	natsURL := testenv.NATS(t)
	long, short := streamsConfig(t, natsURL, "720h"), streamsConfig(t, natsURL, "15m")

	code, stdout, stderr := runMain(t, "", "streams", "apply", "--config", long)
	if code != exitOK || !strings.Contains(stdout, "stream NEWSDESK_ARTICLES: create (replicas 1, max_age 720h") {
		t.Fatalf("streams apply: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, _ = runMain(t, "", "streams", "show", "--config", long)
	if code != exitOK || !strings.Contains(stdout, "stream NEWSDESK_ARTICLES: replicas 1, max_age 720h,") {
		t.Errorf("streams show: exit %d\n%s", code, stdout)
	}

	// One event, so that subscribe --last 1 --count 1 returns.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	bus, err := events.Connect(ctx, events.Options{URL: natsURL, Streams: events.RequireStreams})
	if err != nil {
		t.Fatal(err)
	}
	ev := news.NewArticleEvent(news.ArticleCreated, news.Article{Source: "ledger",
		URL: "https://ledger.example/a", Title: "A", Text: "text"}, time.Now())
	if err := bus.Publish(ctx, ev); err != nil {
		t.Fatal(err)
	}
	bus.Close()

	t.Setenv("NEWSDESK_NATS_MAX_AGE", "15m")
	t.Setenv("NEWSDESK_NATS_REPLICAS", "1")
	if code, stdout, stderr := runMain(t, "", "subscribe", "--config", long, "--last", "1", "--count", "1", "--format", "json"); code != exitOK || !strings.Contains(stdout, ev.ID) {
		t.Fatalf("subscribe: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if code, _, stderr := runMain(t, "", "dlq", "list", "--config", long); code != exitOK {
		t.Fatalf("dlq list: exit %d\n%s", code, stderr)
	}
	for _, name := range []string{events.DefaultStream, events.DefaultAlertStream, events.DefaultDeadLetterStream} {
		if age, _ := streamLimits(t, natsURL, name); age != 720*time.Hour {
			t.Errorf("stream %s has max_age %s after subscribe and dlq list with 15m, want 720h", name, age)
		}
	}
	t.Setenv("NEWSDESK_NATS_MAX_AGE", "")

	code, stdout, stderr = runMain(t, "", "streams", "apply", "--config", short)
	want := "stream NEWSDESK_ARTICLES: max_age 720h → 15m would shrink it"
	if code != exitFailed || !strings.Contains(stderr, want) || !strings.Contains(stderr, "--allow-shrink") {
		t.Fatalf("streams apply shrinking: exit %d, want 1 and %q naming --allow-shrink\nstdout: %s\nstderr: %s", code, want, stdout, stderr)
	}
	code, stdout, stderr = runMain(t, "", "streams", "apply", "--config", short, "--allow-shrink", "--dry-run")
	if code != exitOK || !strings.Contains(stdout, "would change: stream NEWSDESK_ARTICLES: max_age 720h → 15m") {
		t.Errorf("streams apply --dry-run: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if age, _ := streamLimits(t, natsURL, events.DefaultStream); age != 720*time.Hour {
		t.Fatalf("max_age %s after a refused shrink and a dry run, want 720h", age)
	}
	code, stdout, stderr = runMain(t, "", "streams", "apply", "--config", short, "--allow-shrink")
	if code != exitOK {
		t.Fatalf("streams apply --allow-shrink: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if age, _ := streamLimits(t, natsURL, events.DefaultStream); age != 15*time.Minute {
		t.Errorf("max_age %s after --allow-shrink, want 15m", age)
	}
}

// On a server nobody has set up, a read-only command creates nothing and
// says how to create the streams.
func TestSubscribeWithoutStreamsSaysHowToCreateThem(t *testing.T) {
	natsURL := testenv.NATS(t)
	code, _, stderr := runMain(t, "", "subscribe", "--config", streamsConfig(t, natsURL, "720h"), "--count", "1")
	if code != exitFailed || !strings.Contains(stderr, "newsdesk streams apply") || !strings.Contains(stderr, events.DefaultStream) {
		t.Fatalf("subscribe on a fresh server: exit %d, want 1 naming the stream and `newsdesk streams apply`\n%s", code, stderr)
	}
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.Stream(ctx, events.DefaultStream); !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Errorf("stream %s after a failed subscribe: %v, want not found", events.DefaultStream, err)
	}
}
