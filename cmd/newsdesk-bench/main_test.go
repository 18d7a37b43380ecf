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
