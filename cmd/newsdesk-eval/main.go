// Command newsdesk-eval scores newsdesk's text extraction on the
// scrapinghub article-extraction benchmark, beside readeck's go-readability
// measured in the same run, so that every figure it prints is a comparison
// on this machine rather than a number from elsewhere.
//
//	go run ./cmd/newsdesk-eval [-data DIR] [-json] [-worst N] [-page ID]
//
// It reads the pages where they lie (../shared/bench/scrapinghub beside the
// checkout) and never copies them. Exit status: 0 ok, 1 a failure while
// running, 2 bad usage or no benchmark data.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"sort"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command's flags.
type options struct {
	data  string
	json  bool
	worst int
	page  string
	// cpuProfile, when set, names the file for a CPU profile of the run.
	cpuProfile string
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("newsdesk-eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.data, "data", defaultDataDir(), "benchmark folder holding ground-truth.json and html/")
	fs.BoolVar(&o.json, "json", false, "print machine-readable JSON")
	fs.IntVar(&o.worst, "worst", 0, "list the `N` pages where newsdesk's F1 is lowest")
	fs.StringVar(&o.page, "page", "", "print newsdesk's output and the truth for the page with this `ID` (or a prefix of it)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to `FILE` (for go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	pages, err := loadPages(o.data, o.page)
	if err != nil {
		fmt.Fprintln(stderr, "newsdesk-eval:", err)
		if errors.Is(err, errNoData) {
			return 2
		}
		return 1
	}
	if o.page != "" {
		showPage(stdout, pages[0])
		return 0
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			fmt.Fprintln(stderr, "newsdesk-eval:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "newsdesk-eval:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	results := evaluate(pages, extractors())
	if o.json {
		if err := writeJSON(stdout, results, o.worst); err != nil {
			fmt.Fprintln(stderr, "newsdesk-eval:", err)
			return 1
		}
		return 0
	}
	writeTable(stdout, results)
	if o.worst > 0 {
		writeWorst(stdout, results[0], o.worst)
	}
	return 0
}

// pageResult is one extractor's score on one page.
type pageResult struct {
	ID        string  `json:"id"`
	URL       string  `json:"url"`
	Half      string  `json:"half"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Exact     bool    `json:"exact"`
	score     pageScore
}

// result is one extractor's run over the benchmark.
type result struct {
	Name      string             `json:"extractor"`
	Version   string             `json:"version"`
	All       summary            `json:"all"`
	Halves    map[string]summary `json:"halves"`
	PagesPerS float64            `json:"pages_per_s"`
	MBPerS    float64            `json:"mb_per_s"`
	Pages     []pageResult       `json:"per_page,omitempty"`
}

// evaluate runs every extractor over every page, one extractor after the
// other so that each is timed alone, and scores the texts.
func evaluate(pages []page, exs []extractor) []result {
	var bytes int
	for _, p := range pages {
		bytes += len(p.HTML)
	}
	var out []result
	for _, ex := range exs {
		texts := make([]string, len(pages))
		start := time.Now()
		for i, p := range pages {
			texts[i] = ex.Extract(p.URL, p.HTML)
		}
		elapsed := time.Since(start).Seconds()
		r := result{Name: ex.Name, Version: ex.Version, Halves: map[string]summary{},
			PagesPerS: float64(len(pages)) / elapsed, MBPerS: float64(bytes) / 1e6 / elapsed}
		byHalf := map[string][]pageScore{}
		var all []pageScore
		for i, p := range pages {
			s := scorePage(p.Truth, texts[i])
			pr, _ := s.Precision()
			rc, _ := s.Recall()
			r.Pages = append(r.Pages, pageResult{ID: p.ID, URL: p.URL, Half: p.half(), Precision: pr, Recall: rc, F1: s.F1(), Exact: s.Exact, score: s})
			all = append(all, s)
			byHalf[p.half()] = append(byHalf[p.half()], s)
		}
		r.All = summarize(all)
		for h, ss := range byHalf {
			r.Halves[h] = summarize(ss)
		}
		out = append(out, r)
	}
	return out
}

// worst returns the n pages with the lowest F1, lowest first.
func worst(r result, n int) []pageResult {
	ps := append([]pageResult(nil), r.Pages...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].F1 < ps[j].F1 })
	return ps[:min(n, len(ps))]
}
