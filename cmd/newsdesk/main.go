// Command newsdesk crawls tech-privacy news, extracts clean, paywall-aware
// articles, publishes them as events on NATS and indexes them for search.
//
// This package only parses flags and wires the stages together; each
// subcommand lives in a file of its own.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Exit statuses, stable for cron and scripts.
const (
	exitOK     = 0
	exitFailed = 1 // the job ran and failed
	exitUsage  = 2 // bad flags or configuration: nothing was done
	exitErrors = 3 // crawl: the pass ran to its end, but some pages failed (errors=N)
	exitLeased = 4 // crawl: nothing crawled, every source is leased by another crawler
)

// IO is where a command reads and writes, so tests can drive Main.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdio IO) error
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
		{"healthcheck", "exit 0 if URL answers 2xx: the probe of a container without curl", runHealthcheck},
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
	if len(args) == 0 {
		usage(stdio.Stderr)
		return exitUsage
	}
	if isHelp(args[0]) {
		usage(stdio.Stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return report(stdio.Stderr, c.name, c.run(ctx, args[1:], stdio))
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

// isHelp is true for the arguments that ask for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// synopses are the argument shapes of the commands that take more than
// flags; the others are "[flags]".
var synopses = map[string]string{
	"crawl":         "[--once | --every SCHEDULE] [--source NAME] [flags]",
	"parse":         "[flags] < page.html",
	"search":        "[flags] QUERY...",
	"import":        "[flags] FILE.warc[.gz]...",
	"streams apply": "[--allow-shrink] [--dry-run] [flags]",
	"healthcheck":   "URL",
}

// synopsis is a command's one usage line, and its summary when it has one.
func synopsis(name string) string {
	line := "usage: newsdesk " + name + " " + cmp.Or(synopses[name], "[flags]")
	for _, c := range commands() {
		if c.name == name {
			return line + "\n\n" + c.summary + "\n\nflags:"
		}
	}
	return line + "\n\nflags:"
}

// helpOut is where each flag set's help goes: stdout, because asking for
// help is not an error (`newsdesk crawl --help | less` works). Flag errors
// and the usage after them still go to the flag set's output, stderr.
var helpOut sync.Map // *flag.FlagSet → io.Writer

// bindHelp sends fs's help to stdio.Stdout and gives it a synopsis line
// unless the command wrote its own usage.
func bindHelp(fs *flag.FlagSet, stdio IO) {
	helpOut.Store(fs, stdio.Stdout)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), synopsis(fs.Name()))
		fs.PrintDefaults()
	}
}

// parseFlags parses args with fs; a non-nil error means the command must
// return it. Help goes to stdout and exits 0; a flag error goes to stderr
// and exits 2. Both are printed here, so the error is an already-reported one.
func parseFlags(fs *flag.FlagSet, args []string) error {
	errOut := fs.Output()
	usage := fs.Usage
	fs.Usage = func() {} // printed below, to the right stream
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(errOut)
	fs.Usage = usage
	if err == nil {
		return nil
	}
	if errors.Is(err, flag.ErrHelp) {
		if w, ok := helpOut.Load(fs); ok {
			fs.SetOutput(w.(io.Writer))
			defer fs.SetOutput(errOut)
		}
		fs.Usage()
		return reported(exitOK)
	}
	fmt.Fprintln(errOut, err)
	fs.Usage()
	return reported(exitUsage)
}
