package events_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/news"
)

// BenchmarkSubscribeLast reads the last 10 events of a subject that
// matches one event in 10 of a stream of 20,000 articles of 2 KB: "last"
// finds where they start (SubscribeOptions.Last), "all-matches" reads
// every match from the stream's start (Since before the first event),
// what reading the last N cost before the start was found by bisection.
// Compare their ns/op: the bisection costs about the same on any stream,
// reading every match grows with the stream.
func BenchmarkSubscribeLast(b *testing.B) {
	ctx := testContext(b)
	srv := startServer(b, b.TempDir())
	bus := connect(ctx, b, srv.ClientURL())
	const n, every, last = 20000, 10, 10
	text := strings.Repeat("words of a story ", 120)
	for i := range n {
		source := "other"
		if i%every == 0 {
			source = "wired"
		}
		publish(ctx, b, bus, event(news.ArticleCreated, article(source, fmt.Sprintf("https://%s.example/%d", source, i), text)))
	}
	const subject = "newsdesk.article.*.wired.>"
	read := func(b *testing.B, opts events.SubscribeOptions, want int) {
		got := 0
		err := bus.Subscribe(ctx, opts, func(events.Message) error {
			if got++; got == want {
				return errEnough
			}
			return nil
		})
		if !errors.Is(err, errEnough) {
			b.Fatalf("read %d of %d: %v", got, want, err)
		}
	}
	b.Run("last", func(b *testing.B) {
		for b.Loop() {
			read(b, events.SubscribeOptions{Subject: subject, Last: last}, last)
		}
	})
	b.Run("all-matches", func(b *testing.B) {
		for b.Loop() {
			read(b, events.SubscribeOptions{Subject: subject, Since: eventTime.Add(-time.Hour)}, n/every)
		}
	})
}
