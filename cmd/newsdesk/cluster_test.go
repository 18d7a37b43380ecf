package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/events"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// clusterArticles is how many stories the cluster test's site serves, and
// clusterGateAt how many are served before the stream leader is killed.
const (
	clusterArticles = 30
	clusterGateAt   = 10
)

// TestIntegrationClusterCrawlAndIndexSurviveLosingTheStreamLeader is the
// cluster story of DESIGN and deploy/README.md on real servers: a 3-node
// JetStream cluster, streams at replicas 3, one crawl pass of a 30-article
// site and two indexers into the real Elasticsearch. A third of the way into
// the pass the article stream's leader is killed; the crawler keeps
// publishing through the election, and the node is restarted while the pass
// runs. The pass must end with exit 0, each article must be indexed exactly
// once, and every stream must still have 3 current replicas.
func TestIntegrationClusterCrawlAndIndexSurviveLosingTheStreamLeader(t *testing.T) {
	esURL := testenv.ElasticsearchURL(t)
	cluster := testenv.Cluster(t, 3)
	site := newGatedSite(t, clusterArticles, clusterGateAt)
	index := "newsdesk-cluster-" + randomSuffix(t)
	t.Cleanup(func() {
		testenv.DropElasticsearchIndex(t, esURL, index)
	})
	cfgPath := writeConfig(t, fmt.Sprintf(`
data_dir: %s
nats:
  url: %s
  replicas: 3
crawl:
  delay: 0s
  allow_private_networks: true
elasticsearch:
  urls: [%s]
  index: %s
sources:
  - name: ledger
    seeds: [%s/]
`, t.TempDir(), cluster.ClientURLs(), esURL, index, site.URL))

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// The first indexer sets up the streams; the second joins the durable
	// consumer, as a second machine would.
	indexers := startIndexers(ctx, t, cfgPath, 2, cluster.ClientURLs())

	crawlStart := time.Now()
	crawl := crawlToGate(ctx, t, site, cfgPath)
	leader := cluster.WaitStreamLeader(events.DefaultStream)
	killed := time.Now()
	cluster.Kill(leader)
	site.open() // the rest of the pass publishes during the election
	next := cluster.WaitStreamLeader(events.DefaultStream)
	election := time.Since(killed)
	if next == leader {
		t.Fatalf("node %s still leads %s after it was killed", cluster.Name(leader), events.DefaultStream)
	}
	cluster.Restart(leader)
	restarted := time.Since(killed)

	r := crawl.wait()
	passTime := time.Since(crawlStart)
	if r.code != exitOK || !strings.Contains(r.stdout, fmt.Sprintf("articles=%d ", clusterArticles)) {
		t.Fatalf("crawl pass: exit %d, want 0 and articles=%d\nstdout: %s\nstderr: %s",
			r.code, clusterArticles, r.stdout, r.stderr)
	}

	want := map[string]bool{}
	for i := range clusterArticles {
		want[news.DocID(site.URL+articlePath(i))] = true
	}
	ids := waitIndexedIDs(ctx, t, esURL, index, len(want))
	for id, n := range ids {
		switch {
		case !want[id]:
			t.Errorf("index holds %s, which the site does not serve", id)
		case n != 1:
			t.Errorf("index holds %s %d times", id, n)
		}
	}
	if len(ids) != len(want) {
		t.Errorf("index holds %d articles, want %d", len(ids), len(want))
	}
	checkClusterStreams(ctx, t, cluster.ClientURLs())

	cancel()
	for i, code := range indexers.wait() {
		if code != exitOK {
			t.Errorf("indexer %d exited %d", i+1, code)
		}
	}
	t.Logf("cluster figures: crawl pass %.1fs, leader election %.1fs (killed %s, new leader %s), node back and cluster ready %.1fs after the kill",
		passTime.Seconds(), election.Seconds(), cluster.Name(leader), cluster.Name(next), restarted.Seconds())
}

// articlePath is the path of story i on the gated site.
func articlePath(i int) string { return fmt.Sprintf("/a/%d", i) }

// gatedSite serves a listing of n copies of a real article, each its own
// document, and holds back every article after the first gateAt until open
// is called, so a test can act at a known point of a crawl pass.
type gatedSite struct {
	*httptest.Server
	gateReached chan struct{} // closed when gateAt articles were served
	gate        chan struct{} // closed by open
	openOnce    sync.Once
	heldServed  chan struct{} // closed when a held-back article was served after open
}

func newGatedSite(t *testing.T, n, gateAt int) *gatedSite {
	t.Helper()
	page, err := os.ReadFile("../../parser/testdata/free-encryption-law.html")
	if err != nil {
		t.Fatal(err)
	}
	var list strings.Builder
	list.WriteString("<html><head><title>Latest</title></head><body><ul>")
	for i := range n {
		fmt.Fprintf(&list, `<li><a href="%s">story %d</a></li>`, articlePath(i), i)
	}
	list.WriteString("</ul></body></html>")
	stories := map[string]bool{}
	for i := range n {
		stories[articlePath(i)] = true
	}
	s := &gatedSite{gateReached: make(chan struct{}), gate: make(chan struct{}), heldServed: make(chan struct{})}
	var served atomic.Int64
	var reached, held sync.Once
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case r.URL.Path == "/":
			io.WriteString(w, list.String())
			return
		case !stories[r.URL.Path]: // the article's own links go nowhere
			http.NotFound(w, r)
			return
		}
		heldBack := served.Add(1) > int64(gateAt)
		if heldBack {
			reached.Do(func() { close(s.gateReached) })
			select {
			case <-s.gate:
			case <-r.Context().Done():
				return
			}
		}
		// The canonical URL names the page, so each copy is its own story.
		w.Write([]byte(strings.Replace(string(page), `content="encryption-law.html"`, `content="`+r.URL.Path+`"`, 1)))
		if heldBack {
			held.Do(func() { close(s.heldServed) })
		}
	}))
	t.Cleanup(s.Close)
	t.Cleanup(s.open) // before Close: no handler waits forever
	return s
}

func (s *gatedSite) open() { s.openOnce.Do(func() { close(s.gate) }) }

// crawlResult is how a `newsdesk crawl` command ended.
type crawlResult struct {
	code           int
	stdout, stderr string
}

// backgroundCrawl is a `crawl --once` running in its own goroutine; its
// log can be read while it runs.
type backgroundCrawl struct {
	stderr *lockedBuffer
	done   chan crawlResult
}

// crawlToGate starts `newsdesk crawl --once` with the config at cfgPath
// (until ctx ends) and returns once the pass has reached site's gate. The
// test fails if the crawl ends first or ctx does.
func crawlToGate(ctx context.Context, t *testing.T, site *gatedSite, cfgPath string) *backgroundCrawl {
	t.Helper()
	c := &backgroundCrawl{stderr: &lockedBuffer{}, done: make(chan crawlResult, 1)}
	go func() {
		var stdout bytes.Buffer
		code := Main(ctx, []string{"crawl", "--once", "--config", cfgPath},
			IO{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: c.stderr})
		c.done <- crawlResult{code, stdout.String(), c.stderr.String()}
	}()
	select {
	case <-site.gateReached:
	case r := <-c.done:
		t.Fatalf("the crawl ended before the gate: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	case <-ctx.Done():
		t.Fatal("the crawl never reached the gate")
	}
	return c
}

// wait waits until the crawl has ended.
func (c *backgroundCrawl) wait() crawlResult { return <-c.done }

// indexerRuns are `newsdesk index` processes run in-process.
type indexerRuns struct {
	wg    sync.WaitGroup
	codes []int
}

func (r *indexerRuns) wait() []int { r.wg.Wait(); return r.codes }

// startIndexers runs n `newsdesk index` commands until ctx ends. The
// others start once the first has set up the streams and its consumer (two
// starting together on a fresh cluster is issue 10's point 5, tested on its
// own).
func startIndexers(ctx context.Context, t *testing.T, cfgPath string, n int, natsURL string) *indexerRuns {
	t.Helper()
	runs := &indexerRuns{codes: make([]int, n)}
	for i := range n {
		runs.wg.Go(func() {
			runs.codes[i] = Main(ctx, []string{"index", "--alerts=false", "--log-level", "warn", "--config", cfgPath},
				IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: testWriter{t}})
		})
		if i == 0 {
			waitConsumer(ctx, t, natsURL, events.DefaultStream, news.IndexerConsumer)
		}
	}
	t.Cleanup(func() { runs.wg.Wait() }) // a failed test still stops them before the servers go
	return runs
}

// waitConsumer waits until the durable consumer exists on stream.
func waitConsumer(ctx context.Context, t *testing.T, natsURL, stream, durable string) {
	t.Helper()
	js := clusterJS(t, natsURL)
	for {
		if _, err := js.Consumer(ctx, stream, durable); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("consumer %s on stream %s was never created", durable, stream)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func clusterJS(t *testing.T, natsURL string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(natsURL, nats.MaxReconnects(-1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// waitIndexedIDs polls the index until it holds want documents (or ctx
// ends) and returns how often each id appears in a search of all of them.
func waitIndexedIDs(ctx context.Context, t *testing.T, esURL, index string, want int) map[string]int {
	t.Helper()
	var ids map[string]int
	for {
		var err error
		ids, err = indexedIDs(esURL, index)
		if err == nil && len(ids) >= want {
			return ids
		}
		select {
		case <-ctx.Done():
			t.Errorf("waiting for %d indexed articles: have %d (%v)", want, len(ids), err)
			return ids
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// indexedIDs refreshes index and counts the hits of each document id.
func indexedIDs(esURL, index string) (map[string]int, error) {
	if resp, err := http.Post(esURL+"/"+index+"/_refresh", "application/json", nil); err == nil {
		resp.Body.Close()
	}
	resp, err := http.Get(esURL + "/" + index + "/_search?size=10000&_source=false")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("searching %s: %s", index, resp.Status)
	}
	var body struct {
		Hits struct {
			Hits []struct {
				ID string `json:"_id"`
			} `json:"hits"`
		} `json:"hits"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	ids := map[string]int{}
	for _, h := range body.Hits.Hits {
		ids[h.ID]++
	}
	return ids, nil
}

// checkClusterStreams asserts that newsdesk's streams and crawl-state
// bucket still have 3 replicas, all current, that the article stream holds
// each event once and that the indexer has nothing left to do.
func checkClusterStreams(ctx context.Context, t *testing.T, natsURL string) {
	t.Helper()
	js := clusterJS(t, natsURL)
	for _, name := range []string{events.DefaultStream, events.DefaultAlertStream, events.DefaultDeadLetterStream, "KV_NEWSDESK_CRAWL"} {
		var si *jetstream.StreamInfo
		deadline := time.Now().Add(time.Minute)
		for {
			s, err := js.Stream(ctx, name)
			if err == nil {
				si, err = s.Info(ctx)
			}
			if err == nil && si.Config.Replicas == 3 && replicasCurrent(si) {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("stream %s after the failover: %s (%v), want 3 current replicas", name, describeReplicas(si), err)
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if si == nil {
			continue
		}
		switch name {
		case events.DefaultStream:
			if si.State.Msgs != clusterArticles {
				t.Errorf("stream %s holds %d events, want %d (one per article)", name, si.State.Msgs, clusterArticles)
			}
		case events.DefaultDeadLetterStream:
			if si.State.Msgs != 0 {
				t.Errorf("stream %s holds %d dead letters, want none", name, si.State.Msgs)
			}
		}
	}
	cons, err := js.Consumer(ctx, events.DefaultStream, news.IndexerConsumer)
	if err != nil {
		t.Fatalf("indexer consumer: %v", err)
	}
	ci, err := cons.Info(ctx)
	if err != nil {
		t.Fatalf("indexer consumer: %v", err)
	}
	if ci.NumPending != 0 || ci.NumAckPending != 0 || ci.Config.Replicas > 1 && ci.Config.Replicas != 3 {
		t.Errorf("indexer consumer: %d pending, %d unacknowledged, replicas %d; want 0, 0 and the stream's",
			ci.NumPending, ci.NumAckPending, ci.Config.Replicas)
	}
}

func replicasCurrent(si *jetstream.StreamInfo) bool {
	if si.Cluster == nil || si.Cluster.Leader == "" || len(si.Cluster.Replicas) != 2 {
		return false
	}
	for _, r := range si.Cluster.Replicas {
		if !r.Current || r.Offline {
			return false
		}
	}
	return true
}

func describeReplicas(si *jetstream.StreamInfo) string {
	if si == nil {
		return "no info"
	}
	if si.Cluster == nil {
		return fmt.Sprintf("replicas %d, no cluster info", si.Config.Replicas)
	}
	var peers []string
	for _, r := range si.Cluster.Replicas {
		peers = append(peers, fmt.Sprintf("%s current=%v offline=%v", r.Name, r.Current, r.Offline))
	}
	return fmt.Sprintf("replicas %d, leader %q, peers [%s]", si.Config.Replicas, si.Cluster.Leader, strings.Join(peers, ", "))
}
