package testenv

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// clusterTimeout bounds start-up, a meta leader election and a restart: a
// healthy cluster on loopback needs a few seconds, so reaching it means the
// cluster is broken, not slow.
const clusterTimeout = 60 * time.Second

// clusterAccount is the account clients without credentials use.
const clusterAccount = server.DEFAULT_GLOBAL_ACCOUNT

// TestCluster is a real JetStream cluster of embedded nats-servers, routed on
// loopback, each with its own store. A node can be killed and restarted on
// the same ports and store, as an operator restarts a crashed server.
type TestCluster struct {
	t      testing.TB
	routes string
	opts   []server.Options

	mu sync.Mutex
	// nodes are the running servers, nil where a node is down.
	nodes []*server.Server
}

// Cluster starts an n-node JetStream cluster and waits until it has a meta
// leader and every node is current. The servers shut down when the test ends.
func Cluster(t testing.TB, n int) *TestCluster {
	t.Helper()
	if n < 1 {
		t.Fatalf("testenv.Cluster: n = %d, want at least 1", n)
	}
	ports := freePorts(t, 2*n)
	clientPorts, routePorts := ports[:n], ports[n:]
	var routes []string
	for _, p := range routePorts {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	c := &TestCluster{t: t, routes: strings.Join(routes, ","), nodes: make([]*server.Server, n)}
	for i := range n {
		c.opts = append(c.opts, server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1",
			Port:       clientPorts[i],
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoLog:      true,
			NoSigs:     true,
			Cluster:    server.ClusterOpts{Name: "newsdesk-test", Host: "127.0.0.1", Port: routePorts[i]},
		})
	}
	// Registered after the TempDirs, so it runs before they are removed.
	t.Cleanup(c.shutdown)
	for i := range n {
		c.start(i)
	}
	c.WaitReady()
	return c
}

// freePorts reserves n distinct loopback ports. Fixed ports (not
// RANDOM_PORT) let a restarted node come back where its peers and clients
// look for it.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("reserving a port: %v", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// start creates and starts node i from a fresh copy of its options (a
// server keeps and changes the options it is given).
func (c *TestCluster) start(i int) {
	c.t.Helper()
	opts := c.opts[i]
	opts.Routes = server.RoutesFromStr(c.routes)
	s, err := server.NewServer(&opts)
	if err != nil {
		c.t.Fatalf("creating NATS server %s: %v", opts.ServerName, err)
	}
	s.Start()
	if !s.ReadyForConnections(clusterTimeout) {
		s.Shutdown()
		c.t.Fatalf("starting NATS server %s: not ready for connections", opts.ServerName)
	}
	c.mu.Lock()
	c.nodes[i] = s
	c.mu.Unlock()
}

func (c *TestCluster) shutdown() {
	c.mu.Lock()
	nodes := c.nodes
	c.nodes = make([]*server.Server, len(nodes))
	c.mu.Unlock()
	for _, s := range nodes {
		if s != nil {
			s.Shutdown()
			s.WaitForShutdown()
		}
	}
}

// running returns the nodes that are up, by index.
func (c *TestCluster) running() map[int]*server.Server {
	c.mu.Lock()
	defer c.mu.Unlock()
	up := map[int]*server.Server{}
	for i, s := range c.nodes {
		if s != nil {
			up[i] = s
		}
	}
	return up
}

// WaitReady waits until the running nodes agree on a JetStream meta leader
// and each is current with it, so the cluster accepts stream operations.
func (c *TestCluster) WaitReady() {
	c.t.Helper()
	c.waitFor("a JetStream meta leader", func() bool {
		leaders := 0
		for _, s := range c.running() {
			if !s.JetStreamIsCurrent() {
				return false
			}
			if s.JetStreamIsLeader() {
				leaders++
			}
		}
		return leaders == 1
	})
}

// waitFor polls cond until it holds, failing the test after clusterTimeout.
func (c *TestCluster) waitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(clusterTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			c.t.Fatalf("NATS cluster: no %s within %s", what, clusterTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// StreamLeader returns the index of the node that leads stream, or -1 when
// no running node does (no stream, or an election is under way).
func (c *TestCluster) StreamLeader(stream string) int {
	for i, s := range c.running() {
		if s.JetStreamIsStreamLeader(clusterAccount, stream) {
			return i
		}
	}
	return -1
}

// WaitStreamLeader waits until a running node leads stream and returns its
// index.
func (c *TestCluster) WaitStreamLeader(stream string) int {
	c.t.Helper()
	leader := -1
	c.waitFor("leader of stream "+stream, func() bool {
		leader = c.StreamLeader(stream)
		return leader >= 0
	})
	return leader
}

// Kill shuts node i down; its store stays for Restart. Clients lose their
// connections at once, but this is a clean shutdown: the server first hands
// over leadership of its Raft groups, so the election is quicker than after
// a crash (a SIGKILLed server is in `make reliability`).
func (c *TestCluster) Kill(i int) {
	c.t.Helper()
	c.mu.Lock()
	s := c.nodes[i]
	c.nodes[i] = nil
	c.mu.Unlock()
	if s == nil {
		c.t.Fatalf("NATS cluster: node %d is not running", i)
	}
	s.Shutdown()
	s.WaitForShutdown()
}

// Restart starts node i again on its ports and store, and waits until the
// cluster is ready again.
func (c *TestCluster) Restart(i int) {
	c.t.Helper()
	c.mu.Lock()
	up := c.nodes[i] != nil
	c.mu.Unlock()
	if up {
		c.t.Fatalf("NATS cluster: node %d is still running", i)
	}
	c.start(i)
	c.WaitReady()
}

// Server returns node i, nil when it is down.
func (c *TestCluster) Server(i int) *server.Server {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nodes[i]
}

// Name returns the server name of node i, as StreamInfo's cluster section
// names leaders and replicas.
func (c *TestCluster) Name(i int) string { return c.opts[i].ServerName }

// ClientURLs returns every node's client URL, comma-separated, as the
// nats.url of a client that must survive losing any one of them.
func (c *TestCluster) ClientURLs() string {
	var urls []string
	for _, o := range c.opts {
		urls = append(urls, fmt.Sprintf("nats://127.0.0.1:%d", o.Port))
	}
	return strings.Join(urls, ",")
}
