package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// writeTable prints one line per extractor and half of the pages, then
// newsdesk's (the first's) F1 and speed against each of the others.
func writeTable(w io.Writer, results []result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "extractor\tversion\tpages\tprecision\trecall\tF1\taccuracy\tpages/s\tMB/s\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t\n", r.Name, r.Version, r.All.Pages,
			r.All.Precision, r.All.Recall, r.All.F1, r.All.Accuracy, r.PagesPerS, r.MBPerS)
		for _, h := range []string{"A", "B"} {
			s := r.Halves[h]
			fmt.Fprintf(tw, "  half %s (%s)\t\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t\t\t\n", h, r.halfRule(h), s.Pages,
				s.Precision, s.Recall, s.F1, s.Accuracy)
		}
	}
	tw.Flush()
	first := results[0]
	for _, base := range results[1:] {
		fmt.Fprintf(w, "%s: F1 %+.3f, speed %.2fx against %s\n", first.Name, first.All.F1-base.All.F1, first.MBPerS/base.MBPerS, base.Name)
	}
}

// halfRule says how the pages were split in two.
func (r result) halfRule(h string) string {
	digits := "8-f…"
	if h == "A" {
		digits = "0-7…"
	}
	if r.snippets {
		return "sha256(file) " + digits
	}
	return "id " + digits
}

// writeWorst lists the n pages where r scores lowest, with, on trafilatura's
// pages, the snippets missed (-) and leaked (+).
func writeWorst(w io.Writer, r result, n int) {
	fmt.Fprintf(w, "\n%d lowest F1 for %s:\n", n, r.Name)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "F1\tP\tR\tid\turl")
	for _, p := range worst(r, n) {
		fmt.Fprintf(tw, "%.3f\t%.3f\t%.3f\t%s\t%s\n", p.F1, p.Precision, p.Recall, p.ID[:min(12, len(p.ID))], p.URL)
		for _, m := range p.Missed {
			fmt.Fprintf(tw, "\t\t\t  - %s\t\n", clip(m))
		}
		for _, l := range p.Leaked {
			fmt.Fprintf(tw, "\t\t\t  + %s\t\n", clip(l))
		}
	}
	tw.Flush()
}

func clip(s string) string {
	s = normSpace(s)
	if r := []rune(s); len(r) > 90 {
		return string(r[:90]) + "…"
	}
	return s
}

// writeJSON prints the results; with worst > 0 each extractor lists only its
// worst pages instead of all of them.
func writeJSON(w io.Writer, sets []setResult, n int) error {
	if n > 0 {
		for _, sr := range sets {
			for i := range sr.Results {
				sr.Results[i].Pages = worst(sr.Results[i], n)
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sets)
}

// showPage prints, for one page, each Go extractor's score and newsdesk's
// text beside the truth (or the snippets it missed and leaked).
func showPage(w io.Writer, p page) {
	exs := extractors()
	fmt.Fprintf(w, "page %s\nurl  %s\n", p.ID, p.URL)
	var text string
	var snip snippetScore
	for i, ex := range exs {
		t := ex.Extract(p.URL, p.HTML)
		if p.snippets {
			s := scoreSnippets(p, t)
			pr, rc, f := s.pageF1()
			fmt.Fprintf(w, "%-14s P %.3f  R %.3f  F1 %.3f  TP %d FN %d FP %d\n", ex.Name, pr, rc, f, s.TP, s.FN, s.FP)
			if i == 0 {
				text, snip = t, s
			}
			continue
		}
		if i == 0 {
			text = t
		}
		s := scorePage(p.Truth, t)
		pr, _ := s.Precision()
		rc, _ := s.Recall()
		fmt.Fprintf(w, "%-14s P %.3f  R %.3f  F1 %.3f  exact %v  tokens %d (truth %d)\n", ex.Name, pr, rc, s.F1(), s.Exact, s.PredTokens, s.TruthTokens)
	}
	rule := strings.Repeat("─", 72)
	fmt.Fprintf(w, "\n%s\nnewsdesk\n%s\n%s\n\n", rule, rule, text)
	if !p.snippets {
		fmt.Fprintf(w, "%s\ntruth\n%s\n%s\n", rule, rule, p.Truth)
		return
	}
	fmt.Fprintf(w, "%s\nsnippets missed (-) and leaked (+)\n%s\n", rule, rule)
	for _, m := range snip.Missed {
		fmt.Fprintf(w, "- %s\n", normSpace(m))
	}
	for _, l := range snip.Leaked {
		fmt.Fprintf(w, "+ %s\n", normSpace(l))
	}
}
