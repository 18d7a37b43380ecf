package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// page is one benchmark page: its id, address, HTML and true body text
// (scrapinghub) or its snippets to keep and to drop (trafilatura).
type page struct {
	ID, URL, Truth string
	HTML           []byte
	With, Without  []string
	// snippets is whether the page is scored by trafilatura's metric.
	snippets bool
}

// half names the half of the benchmark a page falls in, split by the first
// hex digit of its id: a fixed split that no one tuned for, so a change can
// be checked to help both halves rather than one by chance.
func (p page) half() string {
	if p.snippets {
		return trafHalf(p.ID)
	}
	if p.ID != "" && p.ID[0] < '8' {
		return "A"
	}
	return "B"
}

// errNoData says the benchmark folder is missing.
var errNoData = errors.New("benchmark data not found")

// defaultDataDir is ../shared/bench/scrapinghub beside the checkout: the
// folder above the one holding go.mod, found from the working directory.
func defaultDataDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join("..", "shared", "bench", "scrapinghub")
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(d), "shared", "bench", "scrapinghub")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, "..", "shared", "bench", "scrapinghub")
		}
	}
}

// loadPages reads the ground truth and every page where they lie, sorted by
// id. only, when not empty, keeps the one page whose id starts with it.
func loadPages(dir, only string) ([]page, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s: it lives in ../shared/bench beside the checkout", errNoData, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("reading ground truth: %w", err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", filepath.Join(dir, "ground-truth.json"), err)
	}
	if only != "" {
		var ids []string
		for id := range truth {
			if strings.HasPrefix(id, only) {
				ids = append(ids, id)
			}
		}
		if len(ids) != 1 {
			return nil, fmt.Errorf("%d pages have an id starting with %q in %s, want 1", len(ids), only, dir)
		}
		only = ids[0]
	}
	var pages []page
	for id, t := range truth {
		if only != "" && id != only {
			continue
		}
		body, err := readGzip(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, err
		}
		pages = append(pages, page{ID: id, URL: t.URL, Truth: t.ArticleBody, HTML: body})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages, nil
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading page: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var b bytes.Buffer
	if _, err := io.Copy(&b, zr); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return b.Bytes(), nil
}
