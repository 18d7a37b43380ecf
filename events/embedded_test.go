package events_test

import (
	"net"
	"os"
	"strconv"
	"strings"
	"testing"

	"newsdesk/events"
	"newsdesk/news"
)

func TestStartEmbeddedFailsClearlyWhenPortIsTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()

	srv, err := events.StartEmbedded(events.EmbeddedOptions{DataDir: dir, Port: port}, nil)
	if err == nil {
		srv.Shutdown()
		t.Fatal("StartEmbedded on a taken port succeeded, want an error")
	}
	t.Logf("error: %v", err)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	if !strings.Contains(err.Error(), addr) {
		t.Errorf("error %q does not name the address %s", err, addr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("the store directory was touched before the port check: %v", entries)
	}
}

func TestStartEmbeddedRequiresDataDir(t *testing.T) {
	srv, err := events.StartEmbedded(events.EmbeddedOptions{Port: -1}, nil)
	if err == nil {
		srv.Shutdown()
		t.Fatal("StartEmbedded without DataDir succeeded, want an error")
	}
}

func TestEventsSurviveRestartOnTheSameDataDir(t *testing.T) {
	ctx := testContext(t)
	dir := t.TempDir()
	want := event(news.ArticleCreated, article("wired", "https://example.com/a", "body"))

	srv, err := events.StartEmbedded(events.EmbeddedOptions{DataDir: dir, Port: -1}, nil)
	if err != nil {
		t.Fatalf("StartEmbedded: %v", err)
	}
	bus, err := events.Connect(ctx, events.Options{URL: srv.ClientURL()})
	if err != nil {
		srv.Shutdown()
		t.Fatalf("Connect: %v", err)
	}
	if err := bus.Publish(ctx, want); err != nil {
		t.Errorf("Publish: %v", err)
	}
	bus.Close()
	srv.Shutdown()

	srv = startServer(t, dir)
	if got := newInspector(t, srv.ClientURL()).streamMsgs(ctx, t); got != 1 {
		t.Fatalf("after restart the stream holds %d messages, want 1", got)
	}
	bus = connect(ctx, t, srv.ClientURL())
	sink := newMemSink()
	stop := consume(ctx, t, bus, fastConsume(), sink)
	sink.waitFor(ctx, t, "the event published before the restart", hasDocs(1))
	stop()
	if got := sink.docs[want.Data.ID]; got.Text != "body" {
		t.Errorf("stored doc %+v, want the article published before the restart", got)
	}
}

func TestStartEmbeddedReportsAStoreItCannotUse(t *testing.T) {
	notADir := t.TempDir() + "/file"
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := events.StartEmbedded(events.EmbeddedOptions{DataDir: notADir, Port: -1}, nil)
	if err == nil {
		srv.Shutdown()
		t.Fatal("StartEmbedded with a file as DataDir succeeded, want an error")
	}
	t.Logf("error: %v", err)
	if !strings.Contains(err.Error(), "JetStream") {
		t.Errorf("error %q does not say JetStream could not start", err)
	}
}
