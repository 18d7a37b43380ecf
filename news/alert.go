package news

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// AlertSchemaVersion is the version of the alert event schema.
const AlertSchemaVersion = 1

// AlertType is the CloudEvents type of an alert event.
var AlertType = fmt.Sprintf("io.newsdesk.alert.v%d", AlertSchemaVersion)

// Alert is the data of an alert event: which watch matched which article,
// compact enough for a chat message. The full article is in the article
// event and the index, by ArticleID.
type Alert struct {
	// Watch is the name of the watchlist entry that matched.
	Watch     string `json:"watch"`
	ArticleID string `json:"article_id"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Source    string `json:"source"`
	// Published is the article's publication time, absent when unknown.
	Published time.Time `json:"published,omitzero"`
	Topics    []string  `json:"topics,omitempty"`
	// Paywall is the article's paywall kind, so a bot can say "paywalled".
	Paywall PaywallKind `json:"paywall"`
	// MatchedTerms are the query's words and phrases found in the article,
	// in the query's order. Never nil.
	MatchedTerms []string `json:"matched_terms"`
	// Snippet is plain text around the first match, at most a few hundred
	// characters.
	Snippet string `json:"snippet"`
}

// AlertEvent is an alert in its CloudEvents 1.0 envelope (structured JSON),
// published on AlertSubject(watch subject).
type AlertEvent struct {
	SpecVersion     string    `json:"specversion"`
	ID              string    `json:"id"`
	Source          string    `json:"source"`
	Type            string    `json:"type"`
	Time            time.Time `json:"time"`
	DataContentType string    `json:"datacontenttype"`
	// DataSchema is the $id of the alert's JSON Schema, as in article events.
	DataSchema string `json:"dataschema,omitempty"`
	// Subject is the article's URL, as in article events.
	Subject string `json:"subject,omitempty"`
	Data    Alert  `json:"data"`
}

// NewAlertEvent wraps an alert for article a, matched by watch. The event id
// derives from the watch, the document id and the content, so a redelivered
// article event gives the same alert id and JetStream stores the alert once,
// while an edited article that still matches alerts again.
func NewAlertEvent(al Alert, a Article, now time.Time) AlertEvent {
	if al.MatchedTerms == nil {
		al.MatchedTerms = []string{}
	}
	if al.Paywall == "" {
		al.Paywall = PaywallNone
	}
	sum := sha256.Sum256([]byte(al.Watch + "\x00" + al.ArticleID + "\x00" + ContentHash(a)))
	return AlertEvent{
		SpecVersion:     "1.0",
		ID:              "alert-" + hex.EncodeToString(sum[:16]),
		Source:          "/newsdesk/watches/" + al.Watch,
		Type:            AlertType,
		Time:            now.UTC(),
		DataContentType: "application/json",
		DataSchema:      fmt.Sprintf("%salert.v%d.json", SchemaBaseURL, AlertSchemaVersion),
		Subject:         al.URL,
		Data:            al,
	}
}
