package config

import (
	"fmt"
	"slices"

	"newsdesk/news"
)

// Watch is one watchlist entry: the alerter publishes an alert on
// newsdesk.alert.<subject> for every new or updated article that matches.
type Watch struct {
	// Name identifies the watch in alerts and `newsdesk subscribe --watch`;
	// lower-case letters, digits, - and _, unique.
	Name string `yaml:"name"`
	// Query: words, "phrases", AND, OR, NOT (or -), parentheses and word*
	// prefixes; adjacent words are ANDed; matching ignores case. It is
	// checked when a command starts (package alert parses it).
	Query string `yaml:"query"`
	// Filters: when a list is given, the article must match one of its values.
	Sources   []string `yaml:"sources"`
	Topics    []string `yaml:"topics"`
	Languages []string `yaml:"languages"`
	// Paywall kinds: none, soft, metered, hard.
	Paywall []string `yaml:"paywall"`
	// Subject is the alert subject's suffix (dot-separated tokens), default
	// the name: alerts go to newsdesk.alert.<subject>.
	Subject string `yaml:"subject"`
}

// AlertSubject is the watch's subject suffix: Subject, else Name.
func (w Watch) AlertSubject() string {
	if w.Subject != "" {
		return w.Subject
	}
	return w.Name
}

// validateWatches checks names, subjects and filters; queries are parsed by
// the commands that run the alerter, which name the key too.
func validateWatches(ws []Watch, sources []Source, p *problems) {
	names := map[string]int{}
	for i, w := range ws {
		key := fmt.Sprintf("watches[%d]", i)
		switch j, dup := names[w.Name]; {
		case w.Name == "":
			p.add(key+".name", "required")
		case !news.ValidSourceName(w.Name):
			p.add(key+".name", "%q is not a valid watch name (lower-case letters, digits, - and _)", w.Name)
		case dup:
			p.add(key+".name", "%q is already the name of watches[%d]", w.Name, j)
		default:
			names[w.Name] = i
		}
		if w.Query == "" {
			p.add(key+".query", "required")
		}
		if s := w.AlertSubject(); s != "" && !news.ValidSubjectSuffix(s) {
			p.add(key+".subject", "%q is not dot-separated tokens of lower-case letters, digits, - and _", s)
		}
		for j, k := range w.Paywall {
			if !news.PaywallKind(k).Valid() {
				p.add(fmt.Sprintf("%s.paywall[%d]", key, j), "%q is not none, soft, metered or hard", k)
			}
		}
		for j, s := range w.Sources {
			if len(sources) > 0 && !slices.ContainsFunc(sources, func(src Source) bool { return src.Name == s }) {
				p.add(fmt.Sprintf("%s.sources[%d]", key, j), "%q is not a configured source", s)
			}
		}
	}
}

// validateStreams checks the stream keys this file adds to nats.
func (n *NATS) validateStreams(p *problems) {
	if n.Storage != "file" && n.Storage != "memory" {
		p.add("nats.storage", "%q is not file or memory", n.Storage)
	}
	if n.MaxBytes < 0 {
		p.add("nats.max_bytes", "must not be negative (0 means no size limit)")
	}
	for key, name := range map[string]string{"nats.alert_stream": n.AlertStream, "nats.dlq_stream": n.DLQStream} {
		if err := checkStreamName(name); err != nil {
			p.add(key, "%v", err)
		}
	}
	if n.AlertStream != "" && (n.AlertStream == n.Stream || n.AlertStream == n.DLQStream) || n.DLQStream != "" && n.DLQStream == n.Stream {
		p.add("nats.alert_stream", "nats.stream, nats.alert_stream and nats.dlq_stream must differ")
	}
	if n.MaxDeliver == 0 || n.MaxDeliver < -1 {
		p.add("nats.max_deliver", "must be at least 1, or -1 for unlimited (never dead-letter a rejected event)")
	}
}

func checkStreamName(s string) error {
	if s == "" {
		return fmt.Errorf("must not be empty")
	}
	for _, r := range s {
		if r <= ' ' || r == '.' || r == '*' || r == '>' || r == '/' || r == '\\' {
			return fmt.Errorf("%q is not a valid stream name (no spaces, dots, *, >, / or \\)", s)
		}
	}
	return nil
}

func cloneWatches(in []Watch) []Watch {
	if in == nil {
		return nil
	}
	out := make([]Watch, len(in))
	for i, w := range in {
		w.Sources = slices.Clone(w.Sources)
		w.Topics = slices.Clone(w.Topics)
		w.Languages = slices.Clone(w.Languages)
		w.Paywall = slices.Clone(w.Paywall)
		out[i] = w
	}
	return out
}
