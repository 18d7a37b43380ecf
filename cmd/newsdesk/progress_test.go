package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"newsdesk/crawler"
)

// fakeClock is a clock the test moves by hand: no test here sleeps.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestProgressOnTerminal(t *testing.T) {
	var term, log bytes.Buffer
	clock := &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	p := newProgress(&term, true, slog.New(slog.NewJSONHandler(&log, nil)), clock.now)

	p.report(crawler.Summary{Pages: 10, Articles: 4, Unchanged: 2, Errors: 1, Elapsed: 2 * time.Second})
	want := "\r\033[Kpages 10  articles 4  unchanged 2  errors 1  5.0 pages/s"
	if got := term.String(); got != want {
		t.Fatalf("first line = %q, want %q", got, want)
	}
	clock.advance(100 * time.Millisecond) // within the interval: not redrawn
	p.report(crawler.Summary{Pages: 11, Elapsed: 2100 * time.Millisecond})
	if got := term.String(); got != want {
		t.Fatalf("redrawn within %s: %q", terminalProgressEvery, got)
	}
	clock.advance(terminalProgressEvery)
	p.report(crawler.Summary{Pages: 30, Articles: 20, Errors: 3, Elapsed: 3 * time.Second})
	want += "\r\033[Kpages 30  articles 20  unchanged 0  errors 3  10.0 pages/s"
	if got := term.String(); got != want {
		t.Errorf("after the interval = %q, want %q", got, want)
	}
	if log.Len() != 0 {
		t.Errorf("a terminal gets no log lines, got %s", log.String())
	}
}

func TestProgressUnderCron(t *testing.T) {
	var stderr, log bytes.Buffer
	clock := &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	p := newProgress(&stderr, false, slog.New(slog.NewJSONHandler(&log, nil)), clock.now)

	p.report(crawler.Summary{Pages: 10, Articles: 4, Errors: 1, Skipped: 2, Elapsed: 4 * time.Second})
	clock.advance(10 * time.Second)
	p.report(crawler.Summary{Pages: 50, Elapsed: 14 * time.Second}) // within 30s: dropped
	clock.advance(logProgressEvery)
	p.report(crawler.Summary{Pages: 400, Articles: 300, Unchanged: 50, Errors: 7, Elapsed: 44 * time.Second})

	if stderr.Len() != 0 {
		t.Errorf("no terminal: no progress line expected, got %q", stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d log lines, want 2:\n%s", len(lines), log.String())
	}
	type line struct {
		Level, Msg                                  string
		Pages, Articles, Unchanged, Errors, Skipped int
		Rate                                        float64 `json:"pages_per_second"`
	}
	want := []line{
		{Level: "INFO", Msg: "crawl progress", Pages: 10, Articles: 4, Errors: 1, Skipped: 2, Rate: 2.5},
		{Level: "INFO", Msg: "crawl progress", Pages: 400, Articles: 300, Unchanged: 50, Errors: 7, Rate: 9.1},
	}
	for i, raw := range lines {
		var got line
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i, err, raw)
		}
		if got != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, got, want[i])
		}
	}
}
