package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"newsdesk/archive"
	"newsdesk/config"
	"newsdesk/crawler"
	"newsdesk/events"
	"newsdesk/news"
)

// runImport is `newsdesk import [--source NAME] [--since T] FILE...`: it
// reads WARC and ARC files (ours, CC-NEWS, anyone's; plain, gzipped per
// record or as a whole; @list.txt for a file of paths) and runs every HTML
// response through what
// the crawler does with a fetched page: the same parser, topic rules,
// paywall verdict, ids, revisions and crawl state. Bad records are counted
// and skipped; only a fatal error (a publish failing) stops it.
func runImport(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("import", stdio)
	only := fs.String("source", "", "attribute every page to this source (default: the source whose domains hold the page's host)")
	since := fs.String("since", "", "skip records fetched before this time: RFC 3339, YYYY-MM-DD, or a duration ago (1h)")
	workers := fs.Int("workers", workersPerCore*runtime.GOMAXPROCS(0), "pages parsed at once")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError(errors.New("name WARC or ARC files (or @list.txt, or a directory)"))
	}
	files, err := archive.Expand(fs.Args())
	if err != nil {
		return usageError(err)
	}
	return backfillCommand(ctx, "import", g, fs, stdio, backfillRun{files: files, only: *only, since: *since, workers: *workers})
}

// runReparse is `newsdesk reparse [--since T] [--source NAME]`: it re-reads
// the archive directory (crawl.archive) and runs the newest record of each
// page through today's parser and rules; the crawl state holds what was
// extracted before, so only stories whose extraction changed get an
// "updated" event.
func runReparse(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("reparse", stdio)
	only := fs.String("source", "", "re-extract only this source's pages")
	since := fs.String("since", "", "only records fetched since this time: RFC 3339, YYYY-MM-DD, or a duration ago (1h)")
	workers := fs.Int("workers", workersPerCore*runtime.GOMAXPROCS(0), "pages parsed at once")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return backfillCommand(ctx, "reparse", g, fs, stdio, backfillRun{only: *only, since: *since, workers: *workers, reparse: true, filter: *only != ""})
}

// workersPerCore is two: a page waits for three JetStream replies (crawl
// state read, publish, state write) after its parse, and a second page's
// parse fills that wait rather than the core idling.
const workersPerCore = 2

// backfillRun is what import and reparse were asked to do.
type backfillRun struct {
	files   []string
	only    string // --source
	filter  bool   // only keeps pages of that source (reparse) rather than naming their source (import)
	since   string
	workers int
	reparse bool
}

func backfillCommand(ctx context.Context, name string, g *globalFlags, fs *flag.FlagSet, stdio IO, run backfillRun) error {
	var since time.Time
	if run.since != "" {
		t, err := parseSince(run.since, time.Now())
		if err != nil {
			return usageError(fmt.Errorf("--since: %w", err))
		}
		since = t
	}
	if run.workers < 1 {
		return usageError(errors.New("--workers must be at least 1"))
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		return usageError(err)
	}
	if run.reparse {
		if cfg.Crawl.Archive == "" {
			return usageError(errors.New("crawl.archive is not set: there is no archive to re-extract"))
		}
		if run.files, err = archive.Files(cfg.Crawl.Archive); err != nil {
			return err
		}
	}
	sources, err := crawlSources(cfg, run.only)
	if err != nil {
		return usageError(err)
	}
	bus, err := connectNATS(ctx, cfg, logger, "crawl", false)
	if err != nil {
		return err
	}
	defer bus.Close()
	state, err := bus.CrawlState(ctx, events.CrawlStateOptions{Replicas: cfg.NATS.Replicas})
	if err != nil {
		return fmt.Errorf("opening crawl state: %w", err)
	}
	bf, err := newBackfill(ctx, cfg, logger, bus, state, sources)
	if err != nil {
		return err
	}
	defer bf.Close()
	defer boundHeapGrowth(heapHeadroom)()
	imp := &importer{bf: bf, log: logger, since: since, only: run.only, filter: run.filter, workers: run.workers,
		maxBody: cfg.Crawl.MaxBodyBytes, progress: progressReporter(stdio, logger)}
	if run.reparse {
		imp.latestOnly, imp.baseNames = true, true
	}
	sum, err := imp.run(ctx, run.files)
	if isTerminal(stdio.Stderr) {
		fmt.Fprint(stdio.Stderr, "\r\033[K")
	}
	if err != nil {
		fmt.Fprintf(stdio.Stdout, "%s failed: %s: %v\n", name, sum, err)
		return reported(exitFailed)
	}
	fmt.Fprintf(stdio.Stdout, "%s ok: %s\n", name, sum)
	return nil
}

// newBackfill builds the crawler's page path with the crawler's options,
// parser and publisher, as the crawl command gets them.
func newBackfill(ctx context.Context, cfg *config.Config, logger *slog.Logger, pub crawler.Publisher, state crawler.StateStore, sources []crawler.Source) (*crawler.Backfill, error) {
	var opts crawler.Options
	capture := func(o *crawler.Options, p crawler.Publisher) crawler.Publisher {
		opts, pub = *o, p
		return p
	}
	if _, err := newCrawlerWith(cfg, logger, pub, state, nil, nil, capture); err != nil {
		return nil, err
	}
	opts.Archive = nil // nothing is fetched, nothing archived again
	pp, err := newPageParser(cfg)
	if err != nil {
		return nil, err
	}
	pp.required = cfg.Topics.Required
	return crawler.NewBackfill(ctx, opts, sources, pp, pub)
}

// heapHeadroom is how much the Go heap may grow past the live heap before
// the garbage collector runs, during an import (see boundHeapGrowth).
const heapHeadroom = 64 << 20

// boundHeapGrowth keeps the process's soft memory limit at the live heap
// plus headroom while an import or reparse runs, and returns the func that
// puts the previous limit back. With its own embedded JetStream the live
// heap grows with the archive, as the server indexes every crawl-state key
// (two a story, about 100 bytes each); under GOGC's default the heap may
// then grow by as much again before a collection, so the peak would grow
// twice as fast as the index. With the limit it grows only as fast: once
// the live heap is past the headroom, the collector runs a little more
// often (its cost is a few per cent of the import's CPU time). Below that
// (an import into an external NATS server, a small archive) GOGC paces the
// collector as usual. A GOMEMLIMIT the user set is left alone.
func boundHeapGrowth(headroom uint64) (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(-1)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(live) // as of the last collection
			if live[0].Value.Kind() == metrics.KindUint64 {
				debug.SetMemoryLimit(int64(live[0].Value.Uint64() + headroom))
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		debug.SetMemoryLimit(prev)
	}
}

// ImportSummary is what an import or reparse did.
type ImportSummary struct {
	Files    int // WARC files read
	Records  int // HTTP response records
	HTML     int // of which 200 HTML responses of a known source, parsed
	Old      int // records before --since, or superseded by a newer one (reparse)
	NoSource int // responses of a host no source covers
	Other    int // non-200 or non-HTML responses
	Bad      int // records that could not be read
	Page     crawler.Summary
}

func (s ImportSummary) String() string {
	p := s.Page
	return fmt.Sprintf("files=%d records=%d html=%d articles=%d updated=%d unchanged=%d offtopic=%d paywalls=%d old=%d nosource=%d other=%d bad=%d errors=%d elapsed=%s",
		s.Files, s.Records, s.HTML, p.Articles, p.Updated, p.Unchanged, p.OffTopic, p.Paywalls, s.Old, s.NoSource, s.Other, s.Bad, p.Errors, p.Elapsed.Round(time.Millisecond))
}

// importer reads WARC files and feeds their HTML responses to a Backfill
// from a few workers.
type importer struct {
	bf         *crawler.Backfill
	log        *slog.Logger
	since      time.Time
	only       string
	filter     bool
	workers    int
	maxBody    int
	latestOnly bool // reparse: only the newest record of each URL
	baseNames  bool // reparse: data.archive names files as the crawl does, within crawl.archive
	progress   func(crawler.Summary)

	records, html, old, noSource, other, bad atomic.Int64
}

func (im *importer) run(ctx context.Context, files []string) (ImportSummary, error) {
	var latest map[string]string // URL -> record id of its newest record
	if im.latestOnly {
		var err error
		if latest, err = im.newest(files); err != nil {
			return im.summary(len(files)), err
		}
	}
	pages := make(chan archive.Record, im.workers)
	var wg sync.WaitGroup
	for range im.workers {
		wg.Go(func() {
			for rec := range pages {
				im.page(rec)
			}
		})
	}
	r := im.reader()
	var fatal error
	for _, f := range files {
		err := r.ReadFile(f, func(rec archive.Record) error {
			im.records.Add(1)
			if latest != nil && latest[rec.URL] != rec.RecordID || !im.since.IsZero() && rec.Date.Before(im.since) {
				im.old.Add(1)
				return nil
			}
			select {
			case pages <- rec:
			case <-ctx.Done():
				return ctx.Err()
			}
			return im.bf.Err()
		})
		if err != nil {
			fatal = err
			break
		}
	}
	close(pages)
	wg.Wait()
	if fatal == nil {
		fatal = im.bf.Err()
	}
	return im.summary(len(files)), fatal
}

func (im *importer) reader() *archive.Reader {
	return &archive.Reader{MaxBody: im.maxBody, Bad: func(b archive.BadRecord) {
		im.bad.Add(1)
		im.log.Warn("bad WARC record skipped", "file", b.File, "offset", b.Offset, "reason", b.Err)
	}}
}

// newest finds the newest record of every URL, so a reparse compares
// today's extraction of the latest fetch with the state, and an older
// fetch cannot pass for an edit.
func (im *importer) newest(files []string) (map[string]string, error) {
	type seen struct {
		id   string
		date time.Time
	}
	by := map[string]seen{}
	r := &archive.Reader{HeadersOnly: true}
	for _, f := range files {
		err := r.ReadFile(f, func(rec archive.Record) error {
			if cur, ok := by[rec.URL]; !ok || !rec.Date.Before(cur.date) {
				by[rec.URL] = seen{rec.RecordID, rec.Date}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out := make(map[string]string, len(by))
	for u, s := range by {
		out[u] = s.id
	}
	return out, nil
}

// page sorts one response out and hands an HTML page to the backfill.
func (im *importer) page(rec archive.Record) {
	if rec.Status != 200 {
		im.other.Add(1)
		return
	}
	source := im.bf.SourceOf(rec.URL)
	if im.only != "" && !im.filter {
		source = im.only
	}
	switch {
	case source == "":
		im.noSource.Add(1)
		return
	case im.filter && source != im.only:
		im.other.Add(1)
		return
	}
	ref := &news.ArchiveRef{File: rec.File, Offset: rec.Offset, RecordID: rec.RecordID}
	if im.baseNames {
		ref.File = filepath.Base(rec.File)
	}
	err := im.bf.Page(crawler.ArchivedPage{Source: source, URL: rec.URL, Status: rec.Status, Header: rec.Header,
		Body: rec.Body, FetchedAt: rec.Date, Archive: ref})
	switch {
	case errors.Is(err, crawler.ErrNotHTML):
		im.other.Add(1)
	case err != nil:
		im.bad.Add(1)
		im.log.Warn("WARC record skipped", "file", rec.File, "offset", rec.Offset, "url", rec.URL, "reason", err)
	default:
		im.html.Add(1)
	}
	if im.progress != nil {
		im.progress(im.bf.Summary()) // throttled: a line on a terminal, a log line every 30 s elsewhere
	}
}

func (im *importer) summary(files int) ImportSummary {
	return ImportSummary{Files: files, Records: int(im.records.Load()), HTML: int(im.html.Load()), Old: int(im.old.Load()),
		NoSource: int(im.noSource.Load()), Other: int(im.other.Load()), Bad: int(im.bad.Load()), Page: im.bf.Summary()}
}

// Archive writers live as long as the process, one per directory: every
// record is a complete gzip member on disk as soon as it is written.
var (
	archivesMu sync.Mutex
	archives   = map[string]*archive.Writer{}
)

// openArchive is the crawler's Archiver for crawl.archive, nil when unset.
func openArchive(cfg *config.Config) (crawler.Archiver, error) {
	dir := cfg.Crawl.Archive
	if dir == "" {
		return nil, nil
	}
	archivesMu.Lock()
	defer archivesMu.Unlock()
	if w := archives[dir]; w != nil {
		return warcArchiver{w}, nil
	}
	w, err := archive.NewWriter(dir, cfg.Crawl.ArchiveMaxBytes)
	if err != nil {
		return nil, fmt.Errorf("crawl.archive: %w", err)
	}
	archives[dir] = w
	return warcArchiver{w}, nil
}

// warcArchiver adapts archive.Writer to crawler.Archiver.
type warcArchiver struct{ w *archive.Writer }

func (a warcArchiver) Archive(ex crawler.Exchange) (news.ArchiveRef, error) {
	return a.w.Write(archive.Exchange(ex))
}
