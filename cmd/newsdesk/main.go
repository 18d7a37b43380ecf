// Command newsdesk crawls tech-privacy news, extracts clean, paywall-aware
// articles, publishes them as events on NATS and indexes them for search.
//
// This package only parses flags and wires the stages together; each
// subcommand lives in a file of its own.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses, stable for cron and scripts.
const (
	exitOK     = 0
	exitFailed = 1 // the job ran and failed
	exitUsage  = 2 // bad flags or configuration: nothing was done
	exitLeased = 4 // crawl: nothing crawled, every source is leased by another crawler
)

// IO is where a command reads and writes, so tests can drive Main.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdio IO) int
}

func commands() []command {
	return []command{
		{"demo", "see it work offline: crawl a bundled local publisher site, index it and serve search", runDemo},
		{"run", "the whole pipeline on one machine: embedded NATS, crawls on a schedule, indexing, search on :8080", runRun},
		{"crawl", "crawl the configured sources and publish article events (--once for cron)", runCrawl},
		{"index", "consume article events from JetStream into the search index", runIndex},
		{"serve", "serve the search API and page", runServe},
		{"parse", "parse one HTML page from stdin and print the article as JSON", runParse},
		{"search", "search the index from the terminal", runSearch},
		{"subscribe", "print article or alert events live (a subject, or --watch NAME)", runSubscribe},
		{"dlq", "list or replay the events a consumer gave up on", runDLQ},
		{"import", "import WARC files (CC-NEWS, our archive, anyone's) as article events, like a crawl", runImport},
		{"reparse", "re-extract the archived pages (crawl.archive); emit updated events for what changed", runReparse},
		{"doctor", "check the config, NATS, the index and the data dir, and say how to fix what is wrong", runDoctor},
		{"version", "print the version, commit and commit date of this binary", runVersion},
		{"streams", "set up the shared JetStream streams from the config (apply [--allow-shrink] [--dry-run]) or show them", runStreams},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// Main runs the subcommand named by args[0] and returns the exit status.
func Main(ctx context.Context, args []string, stdio IO) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdio.Stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdio)
		}
	}
	fmt.Fprintf(stdio.Stderr, "newsdesk: unknown command %q\n\n", args[0])
	usage(stdio.Stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: newsdesk <command> [flags]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'newsdesk <command> -h' for a command's flags.")
}

// parseFlags parses args with fs and maps -h and flag errors to exit
// statuses; ok is false when the command must return code.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return exitOK, true
}
