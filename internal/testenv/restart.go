package testenv

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// RestartableServer is a real embedded nats-server with JetStream that a
// test can stop and start again on the same port and store, as an operator
// restarts a node: clients reconnect to the same URL and find the same
// streams.
type RestartableServer struct {
	t    testing.TB
	opts server.Options
	url  string

	mu  sync.Mutex
	srv *server.Server // nil while stopped
}

// RestartableNATS starts a restartable server on a free loopback port with
// its store in a temporary directory; it is shut down when the test ends.
func RestartableNATS(t testing.TB) *RestartableServer {
	t.Helper()
	r := &RestartableServer{t: t, opts: server.Options{
		ServerName: "newsdesk-test-restartable",
		Host:       "127.0.0.1",
		Port:       freePort(t),
		JetStream:  true,
		StoreDir:   t.TempDir(),
		NoLog:      true,
		NoSigs:     true,
	}}
	t.Cleanup(r.Stop)
	r.Start()
	return r
}

// URL is the client URL, the same across restarts.
func (r *RestartableServer) URL() string { return r.url }

// Start starts the server; it does nothing when it is running.
func (r *RestartableServer) Start() {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv != nil {
		return
	}
	opts := r.opts // the server keeps and changes its options
	s, err := server.NewServer(&opts)
	if err != nil {
		r.t.Fatalf("creating NATS server: %v", err)
	}
	s.Start()
	// A bound on start-up, not a timing assertion.
	if !s.ReadyForConnections(30 * time.Second) {
		s.Shutdown()
		r.t.Fatal("starting NATS server: not ready for connections")
	}
	r.srv = s
	r.url = s.ClientURL()
}

// Stop shuts the server down gracefully (JetStream writes its store) and
// waits until it has stopped; it does nothing when it is stopped.
func (r *RestartableServer) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv == nil {
		return
	}
	r.srv.Shutdown()
	r.srv.WaitForShutdown()
	r.srv = nil
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before the server binds it; on a test machine that is rare, and
// the server's start then fails loudly.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
