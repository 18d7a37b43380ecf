package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"newsdesk/news"
)

// maxPageBytes bounds what `newsdesk parse` reads from stdin.
const maxPageBytes = 32 << 20

// runParse is `newsdesk parse [--config FILE] [--url URL] [--fetched T] <
// page.html`: it prints the article, with its topics, as the JSON that
// article events carry. This output is a stable contract: it is how the
// parser is evaluated from outside. So without --fetched it does not
// depend on the clock: a date printed only relative to the fetch ("3 hours
// ago") is read only against a fetch time the user gives.
func runParse(_ context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("parse", stdio)
	pageURL := fs.String("url", "", "the URL the page came from (resolves relative links; sets url and id; picks the source's extraction rules)")
	fetchedFlag := fs.String("fetched", "", "when the page was fetched, to read dates printed relative to it (\"3 hours ago\") and set fetched_at: "+
		"RFC 3339, YYYY-MM-DD (midnight UTC), a duration ago (2h) or now (default: none, relative dates are not read)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var fetched time.Time
	if *fetchedFlag != "" {
		t, err := parseFetched(*fetchedFlag, time.Now())
		if err != nil {
			return usageError(fmt.Errorf("--fetched: %w", err))
		}
		fetched = t
	}
	// The config gives the topic rules and the per-site extraction rules, so
	// that parse prints what the crawler would publish.
	cfg, _, err := g.setup(io.Discard)
	if err != nil {
		return usageError(err)
	}
	pageParser, err := newPageParser(cfg)
	if err != nil {
		return usageError(err)
	}
	if fs.NArg() > 0 {
		return usagef("reads the page from stdin; unexpected arguments: %v", fs.Args())
	}
	body, err := io.ReadAll(io.LimitReader(stdio.Stdin, maxPageBytes+1))
	if err != nil {
		return fmt.Errorf("reading stdin: %w", err)
	}
	if len(body) > maxPageBytes {
		return fmt.Errorf("page larger than %d MiB", maxPageBytes>>20)
	}
	art, err := pageParser.ParseFetched(*pageURL, body, fetched)
	art.FetchedAt = fetched
	notArticle := errors.Is(err, news.ErrNotArticle)
	if err != nil && !notArticle {
		return err
	}
	if notArticle {
		// Still print what was found: an evaluator wants the text either way.
		fmt.Fprintln(stdio.Stderr, "newsdesk parse: warning: this looks like a listing page, not an article")
	}
	if art.Authors == nil {
		art.Authors = []string{}
	}
	if art.Paywall.Signals == nil {
		art.Paywall.Signals = []string{}
	}
	enc := json.NewEncoder(stdio.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(art); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// parseFetched reads --fetched: "now", or what --since takes.
func parseFetched(s string, now time.Time) (time.Time, error) {
	if s == "now" {
		return now, nil
	}
	t, err := parseSince(s, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time, a YYYY-MM-DD date, a duration ago (2h) or now", s)
	}
	return t, nil
}
