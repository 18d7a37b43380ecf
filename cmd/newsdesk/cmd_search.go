package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsdesk/api"
	"newsdesk/news"
)

// runSearch is `newsdesk search QUERY`: the API's search from the terminal,
// readable by default, JSON with --json. It asks a running server (--api,
// or http.addr when one answers there), else opens the index itself.
func runSearch(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("search", stdio)
	asJSON := fs.Bool("json", false, "print the results as JSON")
	apiURL := fs.String("api", "", "base URL of a running newsdesk API (default: http.addr when it answers)")
	apiKey := fs.String("api-key", os.Getenv("NEWSDESK_API_KEY"), "API key for a server that requires one (env NEWSDESK_API_KEY)")
	size := fs.Int("size", 10, "number of hits")
	sortBy := fs.String("sort", "", "relevance or date (default: relevance with words, else date)")
	after := fs.String("after", "", "the next-page cursor printed by the previous search")
	edited := fs.Bool("edited", false, "only stories edited since newsdesk first saw them")
	group := fs.Bool("group", true, "one hit per syndicated story, with the other outlets; false lists every copy")
	params := url.Values{}
	for _, f := range []struct{ name, usage string }{
		{"source", "only these sources (comma-separated)"},
		{"paywall", "only these paywall kinds (none, soft, metered, hard; comma-separated)"},
		{"language", "only these languages (comma-separated)"},
		{"topic", "only these topics (comma-separated)"},
		{"author", "only this author (repeat for several)"},
		{"from", "published on or after (YYYY-MM-DD or RFC 3339)"},
		{"to", "published on or before (YYYY-MM-DD or RFC 3339)"},
	} {
		fs.Func(f.name, f.usage, func(v string) error { params.Add(f.name, v); return nil })
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	params.Set("q", strings.Join(fs.Args(), " "))
	params.Set("size", fmt.Sprint(*size))
	params.Set("facets", "false")
	params.Set("group", strconv.FormatBool(*group))
	if *edited {
		params.Set("edited", "true")
	}
	if *sortBy != "" {
		params.Set("sort", *sortBy)
	}
	if *after != "" {
		params.Set("after", *after)
	}
	q, err := api.ParseQuery(params)
	if err != nil {
		var spot strings.Builder
		printQuerySpot(&spot, params.Get("q"), err)
		return withHint(usageError(err), spot.String())
	}
	cfg, logger, err := g.setup(io.Discard)
	if err != nil {
		return usageError(err)
	}
	if *apiURL == "" && reachable(ctx, cfg.HTTP.Addr) {
		*apiURL = "http://" + cfg.HTTP.Addr
	}
	var res news.Results
	if *apiURL != "" {
		res, err = searchAPIWithKey(ctx, *apiURL, *apiKey, params)
	} else {
		idx, openErr := openIndex(ctx, cfg, logger)
		if openErr != nil {
			return openErr
		}
		defer idx.Close()
		res, err = idx.Search(ctx, q)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdio.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
		return nil
	}
	printResults(stdio.Stdout, res, isTerminal(stdio.Stdout))
	return nil
}

func searchAPI(ctx context.Context, base string, params url.Values) (news.Results, error) {
	return searchAPIWithKey(ctx, base, "", params)
}

// searchAPIWithKey asks a running server's /api/search, with the API key
// when there is one.
func searchAPIWithKey(ctx context.Context, base, key string, params url.Values) (news.Results, error) {
	var res news.Results
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/api/search?"+params.Encode(), nil)
	if err != nil {
		return res, fmt.Errorf("building request: %w", err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return res, fmt.Errorf("asking %s: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return res, fmt.Errorf("asking %s: %s: %s", base, resp.Status, strings.TrimSpace(string(body)))
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return res, fmt.Errorf("decoding %s answer: %w", base, err)
	}
	return res, nil
}

var markTags = regexp.MustCompile(`</?mark>`)

// printResults writes hits for a person: title, source and date, the
// paywall state, the URL and the snippet, with matches in bold on a terminal.
func printResults(w io.Writer, res news.Results, bold bool) {
	fmt.Fprintf(w, "%d article(s)\n", res.Total)
	for i, h := range res.Hits {
		date := ""
		if !h.Published.IsZero() {
			date = " · " + h.Published.Format(time.DateOnly)
		}
		wall := ""
		switch {
		case h.Paywall.Truncated:
			wall = " · TRUNCATED (paywall)"
		case h.Paywall.Detected:
			wall = " · " + string(h.Paywall.Kind) + " paywall"
		}
		snippet := markTags.ReplaceAllStringFunc(h.Snippet, func(tag string) string {
			switch {
			case !bold:
				return ""
			case tag == news.HighlightPre:
				return "\x1b[1m"
			}
			return "\x1b[0m"
		})
		fmt.Fprintf(w, "\n%d. %s\n   %s%s%s\n   %s\n   %s\n", i+1, h.Title, h.Source, date, wall, h.URL, html.UnescapeString(snippet))
		if note := api.EditNote(h); note != "" {
			fmt.Fprintf(w, "   edited: %s (first seen %s)\n", note, h.FirstSeen.Format(time.DateOnly))
		}
		if h.AlsoAt > 0 {
			fmt.Fprintf(w, "   also at %d other outlet(s):", h.AlsoAt)
			for _, c := range h.Copies {
				fmt.Fprintf(w, "\n     %s %s", c.Source, c.URL)
			}
			if more := h.AlsoAt - len(h.Copies); more > 0 {
				fmt.Fprintf(w, "\n     and %d more", more)
			}
			fmt.Fprintln(w)
		}
	}
	if res.Next != "" {
		fmt.Fprintf(w, "\nmore: --after %s\n", res.Next)
	}
}

// isTerminal reports whether w is a terminal, where escape codes are welcome.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// printQuerySpot shows where a query that does not parse goes wrong: the
// query, and a caret under the trouble.
func printQuerySpot(w io.Writer, query string, err error) {
	var qe *news.QueryError
	if !errors.As(err, &qe) || qe.Pos > len(query) {
		return
	}
	fmt.Fprintf(w, "  %s\n  %s^\n", query, strings.Repeat(" ", utf8.RuneCountInString(query[:qe.Pos])))
}
