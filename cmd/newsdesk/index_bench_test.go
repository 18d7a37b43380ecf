package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"os"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esutil"

	"newsdesk/config"
	"newsdesk/indexer/elastic"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// BenchmarkIndexThroughput compares indexing through the pipeline (article
// events in JetStream, consumed by the real durable consumer into the
// Elasticsearch backend, as `newsdesk index` runs: its default batch, the
// fingerprint lookup, external versioning, a refresh per batch) with a raw
// load of the same documents by the client's bulk helper (esutil.BulkIndexer
// with its defaults, one refresh at the end), in the same run. The raw load
// sends, byte for byte, the _source the index stores for each article (with
// the derived fields: fingerprint, group, lead, dates), encoded before its
// timer starts, so the ratio is the cost of the pipeline and not of a
// smaller document. It reports both in docs/s and their ratio (target:
// pipeline/raw at least 0.8).
// NEWSDESK_BENCH_DOCS sets the number of articles (default 5000);
// NEWSDESK_BENCH_INDEXERS runs that many consumers on the durable, as
// several `newsdesk index` processes would (default 1);
// NEWSDESK_BENCH_BATCH sets the events per fetch (`newsdesk index --batch`,
// default events.DefaultBatch); NEWSDESK_BENCH_REFRESH the pipeline's
// refresh interval (elasticsearch.refresh_interval, default the
// backend's). Each load runs under a pprof label (load=raw, load=pipeline),
// so a -cpuprofile tells what the indexer spends from the setup's
// publishing and reading back (pprof -tagfocus); the embedded NATS server's
// goroutines carry no label.
func BenchmarkIndexThroughput(b *testing.B) {
	env := newIndexBench(b)
	ctx, n, es, esURL := context.Background(), len(env.docs), env.es, env.esURL
	indexers := 1
	if v := os.Getenv("NEWSDESK_BENCH_INDEXERS"); v != "" {
		indexers, _ = strconv.Atoi(v)
		indexers = max(indexers, 1)
	}
	var refresh time.Duration
	if v := os.Getenv("NEWSDESK_BENCH_REFRESH"); v != "" {
		var err error
		if refresh, err = time.ParseDuration(v); err != nil {
			b.Fatalf("NEWSDESK_BENCH_REFRESH: %v", err)
		}
	}
	var sources [][]byte
	timed(b, nil, esURL, fmt.Sprintf("newsdesk-bench-src-%d", time.Now().UnixNano()), n, 0, func(idx *elastic.Index) {
		sources = storedSources(ctx, b, es, idx, env.docs)
	})

	var pipeSecs, rawSecs float64
	var pipeCPU, rawCPU cpuTimes
	b.ResetTimer()
	for iter := 0; b.Loop(); iter++ {
		suffix := fmt.Sprintf("%d-%d", time.Now().UnixNano(), iter)
		raw := func() {
			secs, cpu := timed(b, es, esURL, "newsdesk-bench-raw-"+suffix, n, 0, func(idx *elastic.Index) {
				pprof.Do(ctx, pprof.Labels("load", "raw"), func(ctx context.Context) {
					rawBulk(ctx, b, es, idx, env.docs, sources)
				})
			})
			rawSecs, rawCPU = rawSecs+secs, rawCPU.add(cpu)
		}
		pipe := func() {
			secs, cpu := timed(b, es, esURL, "newsdesk-bench-pipe-"+suffix, n, refresh, func(idx *elastic.Index) {
				pprof.Do(ctx, pprof.Labels("load", "pipeline"), func(ctx context.Context) {
					consumeAll(ctx, b, env.nc, env.cfg, idx, "bench-"+suffix, n, indexers)
				})
			})
			pipeSecs, pipeCPU = pipeSecs+secs, pipeCPU.add(cpu)
		}
		// Raw first, then the pipeline first, so that neither always runs
		// on a warmer (or a busier) node.
		if iter%2 == 0 {
			raw()
			pipe()
		} else {
			pipe()
			raw()
		}
	}
	iters := float64(b.N)
	perDoc := func(d time.Duration) float64 { return float64(d.Microseconds()) / (float64(n) * iters) }
	b.ReportMetric(float64(n)*iters/rawSecs, "raw-docs/s")
	b.ReportMetric(float64(n)*iters/pipeSecs, "pipeline-docs/s")
	b.ReportMetric(rawSecs/pipeSecs, "pipeline/raw")
	b.ReportMetric(perDoc(rawCPU.es), "raw-es-cpu-µs/doc")
	b.ReportMetric(perDoc(rawCPU.self), "raw-go-cpu-µs/doc")
	b.ReportMetric(perDoc(pipeCPU.es), "pipeline-es-cpu-µs/doc")
	b.ReportMetric(perDoc(pipeCPU.self), "pipeline-go-cpu-µs/doc")
}

// indexBench is what the indexing benchmarks share: NEWSDESK_BENCH_DOCS
// articles (default 5000), published as events in an embedded JetStream
// before any timer starts, and a client of the Elasticsearch at esURL.
type indexBench struct {
	esURL string
	docs  []news.Article
	nc    *natsConn
	cfg   *config.Config
	es    *elasticsearch.Client
}

func newIndexBench(b *testing.B) indexBench {
	esURL := testenv.ElasticsearchURL(b)
	ctx := context.Background()
	docs := benchArticles(benchDocs(b))
	for i := range docs {
		docs[i].FetchedAt, docs[i].Revision = docs[i].Published.Add(time.Hour), 1
	}
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.NATS.Embedded = config.EmbeddedNATS{Host: "127.0.0.1", Port: -1}
	nc, err := connectNATS(ctx, cfg, slog.New(slog.DiscardHandler), "bench", true)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	for _, a := range docs {
		if err := nc.Publish(ctx, news.NewArticleEvent(news.ArticleCreated, a, a.FetchedAt)); err != nil {
			b.Fatal(err)
		}
	}
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{esURL}})
	if err != nil {
		b.Fatal(err)
	}
	return indexBench{esURL: esURL, docs: docs, nc: nc, cfg: cfg, es: es}
}

// refreshPolicies are the refresh intervals BenchmarkIndexRefresh compares,
// by the name of their metric: "off" is an interval longer than the load,
// so the only refresh is the one at its end (as refresh_interval -1 and a
// refresh when done would be).
var refreshPolicies = []struct {
	name     string
	interval time.Duration
}{{"250ms", 250 * time.Millisecond}, {"500ms", 500 * time.Millisecond}, {"1s", time.Second}, {"off", time.Hour}}

// BenchmarkIndexRefresh is what the refresh interval (how soon a stored
// article is searchable, elasticsearch.refresh_interval) costs in indexing
// throughput: the same events indexed through the pipeline, as
// BenchmarkIndexThroughput does, at each of refreshPolicies in turn in each
// iteration (twice, in opposite orders), and each rate against the one
// without refreshes.
func BenchmarkIndexRefresh(b *testing.B) {
	env := newIndexBench(b)
	n := len(env.docs)
	secs := make([]float64, len(refreshPolicies))
	b.ResetTimer()
	load := func(iter, k int) {
		p := refreshPolicies[k]
		suffix := fmt.Sprintf("%d-%d-%s", time.Now().UnixNano(), iter, p.name)
		s, _ := timed(b, nil, env.esURL, "newsdesk-bench-refresh-"+suffix, n, p.interval, func(idx *elastic.Index) {
			consumeAll(context.Background(), b, env.nc, env.cfg, idx, "bench-"+suffix, n, 1)
		})
		secs[k] += s
	}
	for iter := 0; b.Loop(); iter++ {
		// Forward then backward, so a drift of the machine's load falls
		// on every policy alike.
		for k := range refreshPolicies {
			load(iter, k)
		}
		for k := len(refreshPolicies) - 1; k >= 0; k-- {
			load(iter, k)
		}
	}
	off := secs[len(secs)-1]
	for k, p := range refreshPolicies {
		b.ReportMetric(float64(2*n*b.N)/secs[k], "refresh-"+p.name+"-docs/s")
		b.ReportMetric(off/secs[k], "refresh-"+p.name+"/off")
	}
}

// cpuTimes is CPU time used so far: by Elasticsearch (its node's process,
// from the nodes stats API) and by this process (the consumer, the
// embedded NATS server and the bulk client). On a machine where both share
// the cores, throughput is bound by their sum.
type cpuTimes struct{ es, self time.Duration }

func (c cpuTimes) add(o cpuTimes) cpuTimes { return cpuTimes{c.es + o.es, c.self + o.self} }
func (c cpuTimes) sub(o cpuTimes) cpuTimes { return cpuTimes{c.es - o.es, c.self - o.self} }

// readCPU reads the CPU time of the Elasticsearch nodes and of this process.
// A node refreshes its process stats at most once a second and answers
// from that cache, so the nodes are asked again until every answer was
// taken at or after now: a figure read straight after a short load would
// miss its last second (or all of it). A node whose clock is behind ours
// is asked five times at most.
func readCPU(b *testing.B, es *elasticsearch.Client) cpuTimes {
	now := time.Now().UnixMilli()
	var c cpuTimes
	for try := 0; ; try++ {
		oldest, esCPU := readNodesCPU(b, es)
		if oldest >= now || try == 5 {
			c.es = esCPU
			break
		}
		time.Sleep(time.Duration(min(now-oldest, 1000)+10) * time.Millisecond)
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	c.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return c
}

// readNodesCPU returns the nodes' process CPU time and the time, in Unix
// milliseconds, of the oldest of their samples.
func readNodesCPU(b *testing.B, es *elasticsearch.Client) (oldest int64, cpu time.Duration) {
	res, err := es.Nodes.Stats(es.Nodes.Stats.WithMetric("process"))
	if err != nil || res.IsError() {
		b.Fatalf("reading node stats: %v %v", err, res)
	}
	defer res.Body.Close()
	var stats struct {
		Nodes map[string]struct {
			Process struct {
				Timestamp int64 `json:"timestamp"`
				CPU       struct {
					TotalInMillis int64 `json:"total_in_millis"`
				} `json:"cpu"`
			} `json:"process"`
		} `json:"nodes"`
	}
	if err := json.NewDecoder(res.Body).Decode(&stats); err != nil {
		b.Fatalf("decoding node stats: %v", err)
	}
	oldest = math.MaxInt64
	for _, n := range stats.Nodes {
		cpu += time.Duration(n.Process.CPU.TotalInMillis) * time.Millisecond
		oldest = min(oldest, n.Process.Timestamp)
	}
	return oldest, cpu
}

// timed makes a fresh index under alias (its refresh interval refresh, 0
// for the default), runs load on it, checks that it holds every article
// and deletes it; it returns the seconds load took and, when es is not
// nil, the CPU time spent meanwhile. Neither counts making or deleting the
// index, which cost Elasticsearch about as much CPU as indexing 5,000
// articles and are no part of either load.
func timed(b *testing.B, es *elasticsearch.Client, esURL, alias string, n int, refresh time.Duration, load func(*elastic.Index)) (float64, cpuTimes) {
	ctx := context.Background()
	idx, err := elastic.New(ctx, elastic.Options{URLs: []string{esURL}, Index: alias, RefreshInterval: refresh})
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		idx.Close()
		for _, path := range []string{"/" + alias + "-v2", "/_index_template/" + alias + "-template"} {
			if err := fetch(http.DefaultClient, http.MethodDelete, esURL+path, nil); err != nil {
				b.Logf("cleaning up: %v", err)
			}
		}
	}()
	var before, after cpuTimes
	if es != nil {
		before = readCPU(b, es)
	}
	start := time.Now()
	load(idx)
	// Both loads end with everything searchable.
	if err := fetch(http.DefaultClient, http.MethodPost, esURL+"/"+alias+"/_refresh", nil); err != nil {
		b.Fatal(err)
	}
	secs := time.Since(start).Seconds()
	if es != nil {
		after = readCPU(b, es)
	}
	if got, err := idx.Search(ctx, news.Query{Size: 1}); err != nil || got.Total != n {
		b.Fatalf("%s holds %d articles (%v), want %d", alias, got.Total, err, n)
	}
	if st := readIndexStats(b, esURL, alias); st != (indexStats{}) {
		b.Logf("%s: %d docs in %.2fs; Elasticsearch ms: indexing %d, search %d (%d searches), refresh %d (%d), merge %d (%d), %d segments",
			alias, n, secs, st.IndexMillis, st.QueryMillis, st.Queries, st.RefreshMillis, st.Refreshes, st.MergeMillis, st.Merges, st.Segments)
	}
	return secs, after.sub(before)
}

// indexStats is where Elasticsearch spent its time on one index: what
// tells a costly lookup from costly refreshes or merges.
type indexStats struct {
	IndexMillis, QueryMillis, RefreshMillis, MergeMillis int64
	Queries, Refreshes, Merges, Segments                 int64
}

// readIndexStats reads the primaries' stats of alias, zero when they
// cannot be read (the figures are a diagnosis, not the measurement).
func readIndexStats(b *testing.B, esURL, alias string) indexStats {
	resp, err := http.Get(esURL + "/" + alias + "/_stats/indexing,search,refresh,merge,segments")
	if err != nil {
		b.Logf("reading stats of %s: %v", alias, err)
		return indexStats{}
	}
	defer resp.Body.Close()
	var st struct {
		All struct {
			Primaries struct {
				Indexing struct {
					Millis int64 `json:"index_time_in_millis"`
				} `json:"indexing"`
				Search struct {
					Millis int64 `json:"query_time_in_millis"`
					Total  int64 `json:"query_total"`
				} `json:"search"`
				Refresh struct {
					Millis int64 `json:"total_time_in_millis"`
					Total  int64 `json:"total"`
				} `json:"refresh"`
				Merges struct {
					Millis int64 `json:"total_time_in_millis"`
					Total  int64 `json:"total"`
				} `json:"merges"`
				Segments struct {
					Count int64 `json:"count"`
				} `json:"segments"`
			} `json:"primaries"`
		} `json:"_all"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		b.Logf("decoding stats of %s: %v", alias, err)
		return indexStats{}
	}
	p := st.All.Primaries
	return indexStats{IndexMillis: p.Indexing.Millis, QueryMillis: p.Search.Millis, Queries: p.Search.Total,
		RefreshMillis: p.Refresh.Millis, Refreshes: p.Refresh.Total, MergeMillis: p.Merges.Millis, Merges: p.Merges.Total,
		Segments: p.Segments.Count}
}

// storedSources stores docs in idx directly (no events) and reads back the
// _source of each, in the order of docs: what the index holds, for the raw
// load to send.
func storedSources(ctx context.Context, b *testing.B, es *elasticsearch.Client, idx *elastic.Index, docs []news.Article) [][]byte {
	const chunk = 1000
	out := make([][]byte, 0, len(docs))
	for start := 0; start < len(docs); start += chunk {
		part := docs[start:min(start+chunk, len(docs))]
		for _, err := range idx.Store(ctx, part) {
			if err != nil {
				b.Fatal(err)
			}
		}
		ids := make([]string, len(part))
		for i := range part {
			ids[i] = part[i].ID
		}
		body, _ := json.Marshal(map[string]any{"ids": ids})
		res, err := es.Mget(bytes.NewReader(body), es.Mget.WithIndex(idx.Alias()))
		if err != nil || res.IsError() {
			b.Fatalf("reading stored documents: %v %v", err, res)
		}
		var got struct {
			Docs []struct {
				Found  bool            `json:"found"`
				Source json.RawMessage `json:"_source"`
			} `json:"docs"`
		}
		err = json.NewDecoder(res.Body).Decode(&got)
		res.Body.Close()
		if err != nil || len(got.Docs) != len(part) {
			b.Fatalf("reading stored documents: %v, %d of %d", err, len(got.Docs), len(part))
		}
		for _, d := range got.Docs {
			if !d.Found {
				b.Fatal("a stored document is missing")
			}
			out = append(out, d.Source)
		}
	}
	return out
}

// rawBulk loads the stored sources of docs with the bulk helper at its
// defaults.
func rawBulk(ctx context.Context, b *testing.B, es *elasticsearch.Client, idx *elastic.Index, docs []news.Article, sources [][]byte) {
	bi, err := esutil.NewBulkIndexer(esutil.BulkIndexerConfig{Client: es, Index: idx.WriteAlias()})
	if err != nil {
		b.Fatal(err)
	}
	var failed atomic.Int64
	for i := range docs {
		err := bi.Add(ctx, esutil.BulkIndexerItem{Action: "index", DocumentID: docs[i].ID, Body: bytes.NewReader(sources[i]),
			OnFailure: func(context.Context, esutil.BulkIndexerItem, esutil.BulkIndexerResponseItem, error) { failed.Add(1) }})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := bi.Close(ctx); err != nil || failed.Load() > 0 {
		b.Fatalf("raw bulk: %v, %d failed", err, failed.Load())
	}
}

// consumeAll runs indexers consumers on a fresh durable until the index
// accepted n articles.
func consumeAll(ctx context.Context, b *testing.B, nc *natsConn, cfg *config.Config, idx *elastic.Index, durable string, n, indexers int) {
	sink := &countingSink{idx: idx, want: int64(n), done: make(chan struct{})}
	cctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for range indexers {
		wg.Go(func() {
			batch, _ := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_BATCH"))
			if err := nc.Consume(cctx, consumeOptions(cfg, durable, batch, nil), sink); err != nil {
				b.Error(err)
			}
		})
	}
	select {
	case <-sink.done:
	case <-time.After(10 * time.Minute): // a bound on a hung run, not a measurement
		b.Error("consumers did not index every article")
	}
	cancel()
	wg.Wait()
}

// countingSink is the index, counting the articles it accepted.
type countingSink struct {
	idx    *elastic.Index
	stored atomic.Int64
	want   int64
	once   sync.Once
	done   chan struct{}
}

func (s *countingSink) Backlog(behind bool) { s.idx.Backlog(behind) }

func (s *countingSink) Store(ctx context.Context, docs []news.Article) []error {
	errs := s.idx.Store(ctx, docs)
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		}
	}
	if s.stored.Add(int64(ok)) >= s.want {
		s.once.Do(func() { close(s.done) })
	}
	return errs
}

// benchDocs is NEWSDESK_BENCH_DOCS, default 5000.
func benchDocs(b *testing.B) int {
	if v := os.Getenv(EnvBenchDocs); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("%s: %v", EnvBenchDocs, err)
		}
		return n
	}
	return 5000
}
