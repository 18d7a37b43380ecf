package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/api"
	"newsdesk/config"
	"newsdesk/indexer/elastic"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// EnvBenchDocs sets the size of the generated index of the search benchmark
// (default 5000; `make bench-search` uses 100000).
const EnvBenchDocs = "NEWSDESK_BENCH_DOCS"

// benchVocabulary makes the generated text: a few frequent words and many rare.
var benchVocabulary = strings.Fields(`privacy tracking data broker regulator fine encryption law
	messaging location surveillance police facial recognition breach ransomware hospital
	children online safety age verification cookie consent advertising platform court appeal
	lawsuit settlement biometric health records leak hacker government minister parliament vote
	european commission federal trade commission investigation complaint telecom spyware
	journalist whistleblower election campaign algorithm artificial intelligence model training`)

// benchArticles generates n articles deterministically.
func benchArticles(n int) []news.Article {
	r := rand.New(rand.NewPCG(1, 2))
	sources := []string{"wire", "ledger", "gazette", "tribune", "daily", "courier", "herald", "post"}
	kinds := []news.PaywallKind{news.PaywallNone, news.PaywallNone, news.PaywallSoft, news.PaywallMetered, news.PaywallHard}
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = benchVocabulary[int(float64(len(benchVocabulary))*r.Float64()*r.Float64())]
		}
		return strings.Join(w, " ")
	}
	out := make([]news.Article, n)
	for i := range out {
		kind := kinds[r.IntN(len(kinds))]
		a := news.Article{
			URL: fmt.Sprintf("https://%s.example/story/%d", sources[i%len(sources)], i), Source: sources[i%len(sources)],
			Title: words(8), Text: words(300), Language: "en", Authors: []string{fmt.Sprintf("Reporter %d", r.IntN(200))},
			Topics:    []string{benchVocabulary[r.IntN(12)]},
			Published: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(3*365*24)) * time.Hour),
			Paywall:   news.Paywall{Detected: kind != news.PaywallNone, Kind: kind, Truncated: kind == news.PaywallHard, Signals: []string{}},
		}
		a.ID, a.WordCount = news.DocID(a.URL), 300
		out[i] = a
	}
	return out
}

// benchQueries are the queries both sides answer, as API parameters.
var benchQueries = []url.Values{
	{"q": {"privacy"}},
	{"q": {"data broker"}, "paywall": {"none"}},
	{"q": {`"facial recognition" police`}},
	{"q": {"encryption OR spyware -hospital"}, "sort": {"date"}},
	{"source": {"wire", "ledger"}, "from": {"2023-01-01"}, "to": {"2023-06-30"}},
	{"q": {"lawsuit settlement"}, "topic": {"privacy"}},
	{"q": {"regulator fine"}, "size": {"50"}},
	{"q": {"children online safety"}, "language": {"en"}},
}

// BenchmarkSearchOverhead compares search latency through the newsdesk API
// (HTTP, parsing, the backend's query building and decoding, JSON out) with
// the same query bodies sent straight to Elasticsearch, at 1, 8 and 32
// concurrent clients. It reports p50 and p99 of each, and their ratio
// (target: api/direct under 1.2).
func BenchmarkSearchOverhead(b *testing.B) {
	esURL := testenv.ElasticsearchURL(b)
	n := 5000
	if v := os.Getenv(EnvBenchDocs); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("%s: %v", EnvBenchDocs, err)
		}
	}
	ctx := context.Background()
	name := "newsdesk-bench-" + strconv.Itoa(n)
	idx, err := elastic.New(ctx, elastic.Options{URLs: []string{esURL}, Index: name})
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	// NEWSDESK_BENCH_KEEP=1 keeps the generated index for the next run of
	// the same size (building 100,000 articles takes minutes on a small
	// machine); otherwise it is deleted.
	if os.Getenv("NEWSDESK_BENCH_KEEP") != "1" {
		defer func() {
			for _, path := range []string{"/" + name + "-v2", "/_index_template/" + name + "-template"} {
				if err := fetch(http.DefaultClient, http.MethodDelete, esURL+path, nil); err != nil {
					b.Logf("cleaning up: %v", err)
				}
			}
		}()
	}
	if res, err := idx.Search(ctx, news.Query{Size: 1}); err != nil || res.Total != n {
		docs := benchArticles(n)
		for start := 0; start < n; start += 1000 {
			for _, err := range idx.Store(ctx, docs[start:min(start+1000, n)]) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := idx.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(newAPI(config.Default(), idx, nil))
	defer srv.Close()

	direct := make([][]byte, len(benchQueries))
	for i, p := range benchQueries {
		q, err := parseBenchQuery(p)
		if err != nil {
			b.Fatal(err)
		}
		if direct[i], err = idx.RequestBody(q); err != nil {
			b.Fatal(err)
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	apiCall := func(i int) error {
		return fetch(client, http.MethodGet, srv.URL+"/api/search?"+benchQueries[i%len(benchQueries)].Encode(), nil)
	}
	directCall := func(i int) error {
		return fetch(client, http.MethodPost, esURL+"/"+name+"/_search", direct[i%len(direct)])
	}
	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			d, a := latencies(b, clients, directCall, apiCall)
			b.ReportMetric(ms(d, 50), "direct-p50-ms")
			b.ReportMetric(ms(d, 99), "direct-p99-ms")
			b.ReportMetric(ms(a, 50), "api-p50-ms")
			b.ReportMetric(ms(a, 99), "api-p99-ms")
			b.ReportMetric(ms(a, 50)/ms(d, 50), "p50-ratio")
			b.ReportMetric(ms(a, 99)/ms(d, 99), "p99-ratio")
		})
	}
}

func parseBenchQuery(p url.Values) (news.Query, error) {
	v := url.Values{}
	for k, vs := range p {
		v[k] = vs
	}
	v.Set("facets", "true")
	return api.ParseQuery(v)
}

// latencies runs b.N rounds spread over clients goroutines, each round a
// call of direct then of api with the same index, and returns the
// durations of each, sorted. Interleaving them makes both sides see the
// same load from the rest of the machine (two shared cores): measured one
// after the other, the ratio was mostly the noise between the two phases.
func latencies(b *testing.B, clients int, direct, api func(int) error) (d, a []time.Duration) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	b.ResetTimer()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var myD, myA []time.Duration
			for i := range next {
				for _, c := range []struct {
					call func(int) error
					out  *[]time.Duration
				}{{direct, &myD}, {api, &myA}} {
					start := time.Now()
					if err := c.call(i); err != nil {
						b.Error(err)
					}
					*c.out = append(*c.out, time.Since(start))
				}
			}
			mu.Lock()
			d, a = append(d, myD...), append(a, myA...)
			mu.Unlock()
		}()
	}
	for i := range b.N {
		next <- i
	}
	close(next)
	wg.Wait()
	b.StopTimer()
	slices.Sort(d)
	slices.Sort(a)
	return d, a
}

func ms(sorted []time.Duration, pct int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)*pct/100, len(sorted)-1)
	return float64(sorted[i]) / float64(time.Millisecond)
}

func fetch(c *http.Client, method, u string, body []byte) error {
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", method, u, resp.Status)
	}
	return nil
}
