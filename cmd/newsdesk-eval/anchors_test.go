package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestMetricReproducesAnchors runs readeck's go-readability, at the version
// in go.mod, over the benchmark and checks that this metric gives, page by
// page, the scores recorded for the same extractor in
// ../shared/bench/results: if it does, the metric and the runner are the
// reference's, and newsdesk's figures compare with the published ones.
func TestMetricReproducesAnchors(t *testing.T) {
	dataDir := defaultDataDir()
	anchors := filepath.Join(filepath.Dir(dataDir), "results", "anchors-run1.json")
	raw, err := os.ReadFile(anchors)
	if os.IsNotExist(err) {
		t.Skipf("skipping: benchmark anchors not found at %s: they live in ../shared/bench beside the checkout", anchors)
	}
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Results []struct {
			Extractor, Version string
			Metrics            struct{ F1, Precision, Recall, Accuracy float64 }
			PerPage            []struct {
				ID                   string
				TP, FP, FN, Accuracy float64
				TruthTokens          int `json:"truth_tokens"`
				PredTokens           int `json:"pred_tokens"`
			} `json:"per_page"`
		}
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	pages, err := loadPages(dataDir, "")
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	byID := map[string]page{}
	for _, p := range pages {
		byID[p.ID] = p
	}
	found := false
	for _, r := range file.Results {
		if r.Extractor != "readeck-v2" || r.Version != readeckVersion {
			continue
		}
		found = true
		var scores []pageScore
		for _, want := range r.PerPage {
			p, ok := byID[want.ID]
			if !ok {
				t.Fatalf("anchor page %s is not in the benchmark data", want.ID)
			}
			got := scorePage(p.Truth, readeckText(p.URL, p.HTML))
			scores = append(scores, got)
			if got.TruthTokens != want.TruthTokens || got.PredTokens != want.PredTokens ||
				!close(got.TP, want.TP) || !close(got.FP, want.FP) || !close(got.FN, want.FN) ||
				got.Exact != (want.Accuracy == 1) {
				t.Errorf("page %s: got TP/FP/FN %.6f/%.6f/%.6f tokens %d/%d exact %v, anchor %.6f/%.6f/%.6f tokens %d/%d accuracy %v",
					want.ID[:12], got.TP, got.FP, got.FN, got.TruthTokens, got.PredTokens, got.Exact,
					want.TP, want.FP, want.FN, want.TruthTokens, want.PredTokens, want.Accuracy)
			}
		}
		s := summarize(scores)
		if !close(s.F1, r.Metrics.F1) || !close(s.Precision, r.Metrics.Precision) || !close(s.Recall, r.Metrics.Recall) || !close(s.Accuracy, r.Metrics.Accuracy) {
			t.Errorf("corpus: got %+v, anchor %+v", s, r.Metrics)
		}
		break
	}
	if !found {
		t.Fatalf("%s has no readeck-v2 %s run to compare with", anchors, readeckVersion)
	}
}

func close(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
