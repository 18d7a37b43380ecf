// Package testenv gives tests the real servers they run against: the
// Elasticsearch named by the environment, and an embedded NATS server with
// JetStream. Tests never talk to a mock, so what passes here passes in
// production.
package testenv

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Environment variables read by the helpers.
const (
	// EnvElasticsearchURL names the Elasticsearch that tests use.
	EnvElasticsearchURL = "NEWSDESK_TEST_ES_URL"
	// EnvRequireElasticsearch, set to 1 (as CI does), turns a missing
	// Elasticsearch from a skip into a failure, so CI cannot pass by
	// skipping its integration tests.
	EnvRequireElasticsearch = "NEWSDESK_REQUIRE_ES"
)

const missingES = "Elasticsearch tests need " + EnvElasticsearchURL + "; run scripts/elasticsearch.sh start"

// warnOnce prints the skip reason to stderr once per test binary, for a run
// in a package directory (go test there streams output; with package
// arguments, go test shows a passing package's output only with -v). A skip
// can still look like a pass, which is why CI sets NEWSDESK_REQUIRE_ES=1.
var warnOnce sync.Once

// ElasticsearchURL returns the URL of the real Elasticsearch that tests use,
// from NEWSDESK_TEST_ES_URL. When it is unset the test is skipped with a
// loud message, or fails when NEWSDESK_REQUIRE_ES=1.
func ElasticsearchURL(t testing.TB) string {
	t.Helper()
	if u := os.Getenv(EnvElasticsearchURL); u != "" {
		return u
	}
	if os.Getenv(EnvRequireElasticsearch) == "1" {
		t.Fatalf("%s (%s=1 makes this a failure)", missingES, EnvRequireElasticsearch)
	}
	warnOnce.Do(func() { fmt.Fprintln(os.Stderr, "SKIP: "+missingES) })
	t.Skip("SKIP: " + missingES)
	return ""
}

// NATS starts a real embedded nats-server with JetStream on, its store in a
// temporary directory, on a random loopback port, and shuts it down when the
// test ends. It returns the client URL.
func NATS(t testing.TB) string {
	t.Helper()
	opts := &server.Options{
		ServerName: "newsdesk-test",
		Host:       "127.0.0.1",
		Port:       server.RANDOM_PORT,
		JetStream:  true,
		StoreDir:   t.TempDir(),
		NoLog:      true,
		NoSigs:     true,
	}
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatalf("creating NATS server: %v", err)
	}
	s.Start()
	// Registered before the readiness check so a half-started server is
	// shut down too. Cleanups run last-in first-out, so the server stops
	// before t.TempDir removes its store.
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	// A bound on start-up, not a timing assertion: a healthy server is ready
	// in milliseconds.
	if !s.ReadyForConnections(30 * time.Second) {
		t.Fatal("starting NATS server: not ready for connections")
	}
	if !s.JetStreamEnabled() {
		t.Fatal("starting NATS server: JetStream is not enabled")
	}
	return s.ClientURL()
}
