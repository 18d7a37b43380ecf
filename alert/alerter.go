package alert

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"newsdesk/news"
)

// Publisher sends alert events; events.Bus implements it.
type Publisher interface {
	// PublishAlert stores ev on news.AlertSubject(subject) and returns once
	// the stream acknowledged it; the same ev.ID is stored once.
	PublishAlert(ctx context.Context, subject string, ev news.AlertEvent) error
}

// Alerter evaluates every article it is given against the watches and
// publishes an alert per match. It is an events.Sink: run it with its own
// durable consumer (e.g. "alerter") beside the indexer, so each article
// event is evaluated once however many alerter processes run.
type Alerter struct {
	m   atomic.Pointer[Matcher]
	pub Publisher
	log *slog.Logger
	now func() time.Time
}

// NewAlerter returns an Alerter; logger nil discards.
func NewAlerter(m *Matcher, pub Publisher, logger *slog.Logger) *Alerter {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	al := &Alerter{pub: pub, log: logger, now: time.Now}
	al.SetMatcher(m)
	return al
}

// SetMatcher replaces the watches from the next article on, so saved
// watches take effect without a restart; nil means none.
func (al *Alerter) SetMatcher(m *Matcher) {
	if m == nil {
		m = &Matcher{}
	}
	al.m.Store(m)
}

// Store matches each doc and publishes its alerts. A doc's error is the
// first failed publish: the event is redelivered and the alerts published
// again, which the alert stream stores once (alert ids derive from watch,
// article and content).
func (al *Alerter) Store(ctx context.Context, docs []news.Article) []error {
	errs := make([]error, len(docs))
	matcher := al.m.Load()
	for i := range docs {
		a := &docs[i]
		for _, m := range matcher.Match(a) {
			ev := news.NewAlertEvent(news.Alert{
				Watch: m.Watch.Name, ArticleID: a.ID, Title: a.Title, URL: a.URL,
				Source: a.Source, Published: a.Published, Topics: a.Topics,
				Paywall: a.Paywall.Kind, MatchedTerms: m.Terms, Snippet: m.Snippet,
			}, *a, al.now())
			if err := al.pub.PublishAlert(ctx, m.Watch.Subject, ev); err != nil {
				errs[i] = fmt.Errorf("publishing alert of watch %s for article %s: %w", m.Watch.Name, a.ID, err)
				break
			}
			al.log.Info("alert", "watch", m.Watch.Name, "id", a.ID, "title", a.Title, "terms", m.Terms)
		}
	}
	return errs
}
