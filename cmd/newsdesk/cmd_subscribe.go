package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"newsdesk/events"
	"newsdesk/news"
)

// errEnough ends a subscription after --count messages.
var errEnough = errors.New("enough messages")

// runSubscribe is `newsdesk subscribe [SUBJECT|--watch NAME]`: it prints
// events as they arrive, one readable block per event on a terminal and one
// JSON object per line when piped, until Ctrl-C or --count.
func runSubscribe(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("subscribe", stdio)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newsdesk subscribe [flags] [SUBJECT]   (default newsdesk.article.>)")
		fs.PrintDefaults()
	}
	watch := fs.String("watch", "", "print the alerts of the watch with this name")
	since := fs.String("since", "", "start at this time: RFC 3339, YYYY-MM-DD, or a duration ago (1h)")
	last := fs.Int("last", 0, "start with the last N stored messages")
	count := fs.Int("count", 0, "exit after this many messages (0: run until stopped)")
	format := fs.String("format", "auto", "auto (text on a terminal, else JSON lines), text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 || (fs.NArg() == 1 && *watch != "") {
		return usageError(errors.New("give one SUBJECT or --watch NAME"))
	}
	opts := events.SubscribeOptions{Subject: fs.Arg(0), Last: *last}
	if *since != "" {
		t, err := parseSince(*since, time.Now())
		if err != nil {
			return usageError(fmt.Errorf("--since: %w", err))
		}
		opts.Since = t
	}
	if *last < 0 || *count < 0 || (*last > 0 && *since != "") {
		return usageError(errors.New("--last and --count must not be negative; --since and --last exclude each other"))
	}
	text := *format == "text" || (*format == "auto" && isTerminal(stdio.Stdout))
	if *format != "auto" && *format != "text" && *format != "json" {
		return usageError(fmt.Errorf("--format: %q is not auto, text or json", *format))
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		return usageError(err)
	}
	if *watch != "" {
		found := false
		for _, w := range cfg.Watches {
			if w.Name == *watch {
				opts.Subject, found = news.AlertSubject(w.AlertSubject()), true
			}
		}
		if !found {
			return usageError(fmt.Errorf("--watch: no watch named %q in the config", *watch))
		}
	}
	if opts.Subject == "" {
		opts.Subject = news.ArticleSubjects
	}
	bus, err := connectNATS(ctx, cfg, logger, "subscribe", false)
	if err != nil {
		return err
	}
	defer bus.Close()
	n := 0
	err = bus.Subscribe(ctx, opts, func(m events.Message) error {
		if text {
			printEventText(stdio.Stdout, m)
		} else if err := printEventJSON(stdio.Stdout, m); err != nil {
			return err
		}
		if n++; *count > 0 && n >= *count {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return err
	}
	return nil
}

// parseSince reads an absolute time or a duration before now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time, a YYYY-MM-DD date or a duration", s)
}

// printEventJSON writes the event as one line; a payload that is not JSON
// (a poison message) is wrapped so the line stays JSON.
func printEventJSON(w io.Writer, m events.Message) error {
	line := m.Data
	if !json.Valid(line) {
		b, err := json.Marshal(map[string]any{"subject": m.Subject, "invalid_payload": string(m.Data)})
		if err != nil {
			return err
		}
		line = b
	}
	_, err := fmt.Fprintf(w, "%s\n", line)
	return err
}

// printEventText writes a few readable lines per event.
func printEventText(w io.Writer, m events.Message) {
	var head struct {
		Type string          `json:"type"`
		Time time.Time       `json:"time"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(m.Data, &head); err != nil {
		fmt.Fprintf(w, "%s  (not an event: %.80q)\n\n", m.Subject, m.Data)
		return
	}
	when := head.Time.Local().Format("2006-01-02 15:04:05")
	switch {
	case head.Type == news.AlertType:
		var a news.Alert
		_ = json.Unmarshal(head.Data, &a)
		fmt.Fprintf(w, "%s  ALERT %s  [%s]\n  %s\n  %s\n  %s\n\n", when, a.Watch, strings.Join(a.MatchedTerms, ", "), a.Title, a.URL, a.Snippet)
	case isArticleType(head.Type):
		var a news.Article
		_ = json.Unmarshal(head.Data, &a)
		kind := articleKindLabel(head.Type)
		wall := ""
		if a.Paywall.Kind != "" && a.Paywall.Kind != news.PaywallNone {
			wall = "  (" + string(a.Paywall.Kind) + " paywall)"
		}
		fmt.Fprintf(w, "%s  %s  %s%s\n  %s\n  %s\n\n", when, strings.ToUpper(kind), a.Source, wall, a.Title, a.URL)
	default:
		fmt.Fprintf(w, "%s  %s  %s\n\n", when, head.Type, m.Subject)
	}
}

// isArticleType reports whether typ is an article event type of any kind
// or schema version: printed as an article, not as an unknown event.
func isArticleType(typ string) bool {
	_, _, ok := news.ParseEventType(typ)
	return ok
}

// articleKindLabel names the kind of an article event for a reader: the
// kind, with the schema version when it is not the one this binary knows
// (created, or created.v9).
func articleKindLabel(typ string) string {
	kind, version, _ := news.ParseEventType(typ)
	if version != news.SchemaVersion {
		return fmt.Sprintf("%s.v%d", kind, version)
	}
	return string(kind)
}
