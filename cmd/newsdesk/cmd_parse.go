package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"newsdesk/news"
)

// maxPageBytes bounds what `newsdesk parse` reads from stdin.
const maxPageBytes = 32 << 20

// runParse is `newsdesk parse [--config FILE] [--url URL] < page.html`: it
// prints the article, with its topics, as the JSON that article events
// carry. This output is a stable
// contract: it is how the parser is evaluated from outside.
func runParse(_ context.Context, args []string, stdio IO) int {
	fs, g := newFlagSet("parse", stdio)
	pageURL := fs.String("url", "", "the URL the page came from (resolves relative links; sets url and id; picks the source's extraction rules)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	// The config gives the topic rules and the per-site extraction rules, so
	// that parse prints what the crawler would publish.
	cfg, _, err := g.setup(io.Discard)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk parse:", err)
		return exitUsage
	}
	pageParser, err := newPageParser(cfg)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk parse:", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stdio.Stderr, "newsdesk parse: reads the page from stdin; unexpected arguments:", fs.Args())
		return exitUsage
	}
	body, err := io.ReadAll(io.LimitReader(stdio.Stdin, maxPageBytes+1))
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk parse: reading stdin:", err)
		return exitFailed
	}
	if len(body) > maxPageBytes {
		fmt.Fprintf(stdio.Stderr, "newsdesk parse: page larger than %d MiB\n", maxPageBytes>>20)
		return exitFailed
	}
	art, err := pageParser.Parse(*pageURL, body)
	notArticle := errors.Is(err, news.ErrNotArticle)
	if err != nil && !notArticle {
		fmt.Fprintln(stdio.Stderr, "newsdesk parse:", err)
		return exitFailed
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
		fmt.Fprintln(stdio.Stderr, "newsdesk parse: writing JSON:", err)
		return exitFailed
	}
	return exitOK
}
