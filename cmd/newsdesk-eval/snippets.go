package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// This file is trafilatura's benchmark and metric (SOURCE.md beside
// ../shared/bench/trafilatura-dev, after trafilatura's
// tests/eval_common.py): each page lists passages the text must hold
// ("with") and boilerplate it must not ("without"); counts are pooled over
// all pages.

// defaultTrafDir is trafilatura-dev beside the scrapinghub folder.
func defaultTrafDir() string {
	return filepath.Join(filepath.Dir(defaultDataDir()), "trafilatura-dev")
}

// loadTrafPages reads evaldata.json and every page it names, sorted by id.
// only, when not empty, keeps the one page whose id starts with it.
func loadTrafPages(dir, only string) ([]page, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "evaldata.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s: it lives in ../shared/bench beside the checkout", errNoData, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("reading trafilatura snippets: %w", err)
	}
	var items map[string]struct {
		URL     string   `json:"url"`
		With    []string `json:"with"`
		Without []string `json:"without"`
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", filepath.Join(dir, "evaldata.json"), err)
	}
	var pages []page
	for id, it := range items {
		if only != "" && !strings.HasPrefix(id, only) {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, "pages", id+".html"))
		if err != nil {
			return nil, fmt.Errorf("reading page: %w", err)
		}
		pages = append(pages, page{ID: id, URL: it.URL, HTML: body, With: it.With, Without: it.Without, snippets: true})
	}
	if only != "" && len(pages) != 1 {
		return nil, fmt.Errorf("%d pages have an id starting with %q in %s, want 1", len(pages), only, dir)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages, nil
}

// trafHalf splits trafilatura-dev by the sha256 of the page's file name:
// its ids are sequence numbers, so their first digit would not mix.
func trafHalf(id string) string {
	if sum := sha256.Sum256([]byte(id + ".html")); sum[0] < 0x80 {
		return "A"
	}
	return "B"
}

var spaces = regexp.MustCompile(`\s+`)

// normSpace is the metric's normalisation: runs of white space become one
// space, and the ends are trimmed.
func normSpace(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// snippetScore counts one page's snippets: TP and FN for the passages to
// keep, FP and TN for the boilerplate to drop; Missed and Leaked name them.
type snippetScore struct {
	TP, FN, FP, TN int
	Missed, Leaked []string
}

// scoreSnippets checks each snippet as a substring of the normalised text.
// An empty text is a failed extraction: no positives.
func scoreSnippets(p page, text string) snippetScore {
	var s snippetScore
	t := normSpace(text)
	for _, w := range p.With {
		if t != "" && strings.Contains(t, normSpace(w)) {
			s.TP++
		} else {
			s.FN++
			s.Missed = append(s.Missed, w)
		}
	}
	for _, w := range p.Without {
		if t != "" && strings.Contains(t, normSpace(w)) {
			s.FP++
			s.Leaked = append(s.Leaked, w)
		} else {
			s.TN++
		}
	}
	return s
}

// summarizeSnippets pools the counts of all pages.
func summarizeSnippets(scores []snippetScore) summary {
	var tp, fn, fp, tn int
	for _, s := range scores {
		tp, fn, fp, tn = tp+s.TP, fn+s.FN, fp+s.FP, tn+s.TN
	}
	sum := summary{Pages: len(scores), PrecisionPages: len(scores)}
	if tp+fp > 0 {
		sum.Precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		sum.Recall = float64(tp) / float64(tp+fn)
	}
	if 2*tp+fp+fn > 0 {
		sum.F1 = 2 * float64(tp) / float64(2*tp+fp+fn)
	}
	if all := tp + fn + fp + tn; all > 0 {
		sum.Accuracy = float64(tp+tn) / float64(all)
	}
	return sum
}

// pageF1 ranks a page for -worst by its own counts.
func (s snippetScore) pageF1() (p, r, f float64) {
	if s.TP+s.FP > 0 {
		p = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		r = float64(s.TP) / float64(s.TP+s.FN)
	}
	f = 1
	if 2*s.TP+s.FP+s.FN > 0 {
		f = 2 * float64(s.TP) / float64(2*s.TP+s.FP+s.FN)
	}
	return p, r, f
}
