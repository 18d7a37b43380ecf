package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// writeTable prints one line per extractor and set of pages, and the speed
// of each extractor relative to the last one (the baseline).
func writeTable(w io.Writer, results []result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "extractor\tversion\tpages\tprecision\trecall\tF1\taccuracy\tpages/s\tMB/s\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t\n", r.Name, r.Version, r.All.Pages,
			r.All.Precision, r.All.Recall, r.All.F1, r.All.Accuracy, r.PagesPerS, r.MBPerS)
		for _, h := range []string{"A", "B"} {
			s := r.Halves[h]
			fmt.Fprintf(tw, "  half %s (id %s)\t\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t\t\t\n", h, halfRange(h), s.Pages,
				s.Precision, s.Recall, s.F1, s.Accuracy)
		}
	}
	tw.Flush()
	if len(results) > 1 {
		base := results[len(results)-1]
		for _, r := range results[:len(results)-1] {
			fmt.Fprintf(w, "%s: F1 %+.3f, speed %.2fx against %s\n", r.Name, r.All.F1-base.All.F1, r.MBPerS/base.MBPerS, base.Name)
		}
	}
}

func halfRange(h string) string {
	if h == "A" {
		return "0-7…"
	}
	return "8-f…"
}

// writeWorst lists the n pages where r scores lowest.
func writeWorst(w io.Writer, r result, n int) {
	fmt.Fprintf(w, "\n%d lowest F1 for %s:\n", n, r.Name)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "F1\tP\tR\tid\turl")
	for _, p := range worst(r, n) {
		fmt.Fprintf(tw, "%.3f\t%.3f\t%.3f\t%s\t%s\n", p.F1, p.Precision, p.Recall, p.ID[:12], p.URL)
	}
	tw.Flush()
}

// writeJSON prints the results; with worst > 0 each extractor lists only its
// worst pages instead of all of them.
func writeJSON(w io.Writer, results []result, n int) error {
	if n > 0 {
		for i := range results {
			results[i].Pages = worst(results[i], n)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

// showPage prints, for one page, each extractor's score and newsdesk's
// text beside the truth.
func showPage(w io.Writer, p page) {
	exs := extractors()
	fmt.Fprintf(w, "page %s\nurl  %s\n", p.ID, p.URL)
	var text string
	for i, ex := range exs {
		t := ex.Extract(p.URL, p.HTML)
		if i == 0 {
			text = t
		}
		s := scorePage(p.Truth, t)
		pr, _ := s.Precision()
		rc, _ := s.Recall()
		fmt.Fprintf(w, "%-10s P %.3f  R %.3f  F1 %.3f  exact %v  tokens %d (truth %d)\n", ex.Name, pr, rc, s.F1(), s.Exact, s.PredTokens, s.TruthTokens)
	}
	rule := strings.Repeat("─", 72)
	fmt.Fprintf(w, "\n%s\nnewsdesk\n%s\n%s\n\n%s\ntruth\n%s\n%s\n", rule, rule, text, rule, rule, p.Truth)
}
