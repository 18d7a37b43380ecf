package events_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/nats-io/nats.go"
)

// count subscribes to subject and returns how many messages were sent to
// it since: for the requests a consumer makes (fetches are requests to
// $JS.API.CONSUMER.MSG.NEXT.<stream>.<durable>).
func (in *inspector) count(t *testing.T, subject string) func() int {
	t.Helper()
	var n atomic.Int64
	sub, err := in.nc.Subscribe(subject, func(*nats.Msg) { n.Add(1) })
	if err != nil {
		t.Fatalf("subscribing to %s: %v", subject, err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	if err := in.nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return func() int { return int(n.Load()) }
}

// progressReports returns how many distinct delivered messages got a
// progress report ("+WPI" on its ack subject) since.
func (in *inspector) progressReports(t *testing.T) func() int {
	t.Helper()
	var mu sync.Mutex
	seen := map[string]bool{}
	sub, err := in.nc.Subscribe("$JS.ACK.>", func(m *nats.Msg) {
		if string(m.Data) == "+WPI" {
			mu.Lock()
			defer mu.Unlock()
			seen[m.Subject] = true
		}
	})
	if err != nil {
		t.Fatalf("subscribing to acks: %v", err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	if err := in.nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(seen)
	}
}
