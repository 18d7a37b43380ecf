package main

import (
	"strings"
	"testing"
)

// TestGrowthNamesWorseThanLinear: a stage whose time per item at its
// largest size is over 1.25× that at its smallest is named under the
// table; one within it is not.
func TestGrowthNamesWorseThanLinear(t *testing.T) {
	flat := growthRows("crawl", "pages", []step{{size: "100", perItemUS: 100}, {size: "1000", perItemUS: 120}})
	steep := growthRows("indexing", "docs", []step{{size: "500", perItemUS: 100}, {size: "50000", perItemUS: 130}})
	out := render(append(flat, steep...), 1, false)
	if !strings.Contains(out, "worse than linear (over 1.25× the time per item): Growth, indexing: 500 → 50000 docs") {
		t.Errorf("the indexing step is not named:\n%s", out)
	}
	if strings.Contains(out, "linear (over 1.25× the time per item): Growth, crawl") {
		t.Errorf("the crawl step is named though within 1.25×:\n%s", out)
	}
	if !strings.Contains(out, "| 0.83× |") {
		t.Errorf("the crawl row's ratio (100/120) is not in the table:\n%s", out)
	}
}

// TestFreshnessRowAgainstGoal: the p99 is compared with the goal as a
// cost (above 1 means under the goal) and p50/p95 are shown beside it.
func TestFreshnessRowAgainstGoal(t *testing.T) {
	res := result{metrics: map[string]map[string]float64{
		"BenchmarkFreshness/embedded": {"p50-ms": 150, "p95-ms": 240, "p99-ms": 250},
	}}
	rw := freshRow(res, "Freshness p99, embedded", "BenchmarkFreshness/embedded", freshGoalEmbedded)
	if rw.Note != "" || rw.Ratio != 300.0/250 || rw.Detail != "(p50 150, p95 240)" {
		t.Errorf("row = %+v", rw)
	}
	missing := freshRow(result{metrics: map[string]map[string]float64{}}, "Freshness", "BenchmarkFreshness/embedded", 300)
	if missing.Note == "" {
		t.Errorf("a missing benchmark gave a figure: %+v", missing)
	}
}

// TestGrowthStepsAndRSS: with three sizes each step is compared with the
// one before and the largest with the smallest; a step is judged by CPU
// time per item when both sizes have it (so a wall-time jump from a busy
// machine is not named), and a peak RSS over twice the smaller size's is
// named under the table.
func TestGrowthStepsAndRSS(t *testing.T) {
	rows := growthRows("parser", "pages", []step{
		{size: "1×", perItemUS: 100, cpuUS: 90, rssMB: 80},
		{size: "10×", perItemUS: 150, cpuUS: 95, rssMB: 85},
		{size: "100×", perItemUS: 110, cpuUS: 130, rssMB: 200},
	})
	var figures []string
	for _, rw := range rows {
		figures = append(figures, rw.Figure)
	}
	want := []string{
		"Growth, parser: 1× → 10× pages, CPU time per item",
		"Growth, parser: 10× → 100× pages, CPU time per item",
		"Growth, parser: 1× → 100× pages, CPU time per item",
	}
	if strings.Join(figures, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows:\n%s\nwant:\n%s", strings.Join(figures, "\n"), strings.Join(want, "\n"))
	}
	if rows[0].Slower || !rows[1].Slower || !rows[2].Slower {
		t.Errorf("slower = %v %v %v, want false true true (by CPU: 95/90, 130/95, 130/90)", rows[0].Slower, rows[1].Slower, rows[2].Slower)
	}
	if rows[0].RSSGrew || !rows[1].RSSGrew || !rows[2].RSSGrew {
		t.Errorf("RSS grew = %v %v %v, want false true true", rows[0].RSSGrew, rows[1].RSSGrew, rows[2].RSSGrew)
	}
	out := render(rows, 1, false)
	if !strings.Contains(out, "Peak RSS grows over 2× in: Growth, parser: 10× → 100× pages; Growth, parser: 1× → 100× pages.") {
		t.Errorf("the RSS growth is not named:\n%s", out)
	}
	if !strings.Contains(out, "(wall 150 µs/item, at 1×: 100; peak RSS 85 MB, at 1×: 80 MB)") {
		t.Errorf("the CPU and RSS detail is not shown:\n%s", out)
	}
}

// TestIndexGoal: at 50,000 documents the ratio to raw bulk must be at
// least 0.9 and within 10% of the 5,000 figure; either miss fails it.
func TestIndexGoal(t *testing.T) {
	for _, c := range []struct {
		at5k, at50k float64
		met         bool
	}{{0.95, 0.92, true}, {0.70, 0.57, false}, {1.10, 0.95, false}, {0.80, 0.85, false}} {
		rw := indexGoal(step{size: "5000", vsBaseline: c.at5k}, step{size: "50000", vsBaseline: c.at50k})
		if met := strings.HasSuffix(rw.Detail, ": met)"); met != c.met {
			t.Errorf("5k %.2f, 50k %.2f: detail %q, want met=%v", c.at5k, c.at50k, rw.Detail, c.met)
		}
		if rw.Ratio != c.at50k/c.at5k {
			t.Errorf("ratio %v, want %v", rw.Ratio, c.at50k/c.at5k)
		}
	}
	if rw := indexGoal(step{size: "500", vsBaseline: 0.8}, step{size: "5000", vsBaseline: 0.7}); rw.Detail != "" {
		t.Errorf("a goal stated below 50,000 docs: %q", rw.Detail)
	}
	if rw := indexGoal(step{size: "5000"}, step{size: "50000", vsBaseline: 0.9}); rw.Note == "" {
		t.Errorf("a goal judged without the 5000 figure: %+v", rw)
	}
}
