package news

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// EventKind is what happened to an article.
type EventKind string

// Article event kinds; each is a subject token and part of the event type.
const (
	ArticleCreated EventKind = "created"
	ArticleUpdated EventKind = "updated"
)

// SchemaVersion is the version of the article event schema. A consumer that
// sees a type with another version must not guess at its meaning.
const SchemaVersion = 1

// SchemaBaseURL is the $id prefix of the events' JSON Schemas (package
// schemas holds the files; a test keeps the two in step).
const SchemaBaseURL = "https://newsdesk.example/schemas/"

// SubjectRoot is the first token of every newsdesk subject.
const SubjectRoot = "newsdesk"

// ArticleSubjects is the wildcard that covers every article event; the
// JetStream stream captures it.
const ArticleSubjects = SubjectRoot + ".article.>"

// sourceToken is what a source name must look like: it becomes a subject
// token, so no dots, spaces or wildcards.
var sourceToken = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// ValidSourceName reports whether name can be used as a source name (and so
// as a NATS subject token).
func ValidSourceName(name string) bool { return sourceToken.MatchString(name) }

// ArticleSubject is the subject an article event is published on:
// newsdesk.article.<kind>.<source>.<topic>, so subscribers filter with
// wildcards by kind (newsdesk.article.updated.>), publisher
// (newsdesk.article.*.wired.*) or topic (newsdesk.article.*.*.privacy).
// topic is the article's primary topic as TopicToken makes it; an empty
// source or topic becomes "unknown" or "none", so every subject has five
// tokens and a wildcard never matches by accident.
func ArticleSubject(kind EventKind, source, topic string) string {
	if source == "" {
		source = "unknown"
	}
	if topic == "" {
		topic = NoTopic
	}
	return fmt.Sprintf("%s.article.%s.%s.%s", SubjectRoot, kind, source, topic)
}

// ArticleEvent is the public contract: a CloudEvents 1.0 envelope in
// structured JSON mode whose data is the article.
type ArticleEvent struct {
	SpecVersion     string    `json:"specversion"`
	ID              string    `json:"id"`
	Source          string    `json:"source"`
	Type            string    `json:"type"`
	Time            time.Time `json:"time"`
	DataContentType string    `json:"datacontenttype"`
	// DataSchema is the $id of the event's JSON Schema (CloudEvents
	// "dataschema"), which `newsdesk serve` serves under /schemas/.
	DataSchema string `json:"dataschema,omitempty"`
	// Subject is the article's URL (CloudEvents "subject").
	Subject string  `json:"subject,omitempty"`
	Data    Article `json:"data"`
}

// EventType is the CloudEvents type of an article event of the given kind.
func EventType(kind EventKind) string {
	return articleTypePrefix + string(kind) + ".v" + strconv.Itoa(SchemaVersion)
}

// NewArticleEvent wraps a parsed article in its event. It fills the article's
// ID from its canonical URL when empty. The event id is derived from the
// document id and the content, so publishing the same content twice gives the
// same id and JetStream stores it once.
func NewArticleEvent(kind EventKind, a Article, now time.Time) ArticleEvent {
	return NewArticleEventHashed(kind, a, now, "")
}

// NewArticleEventHashed is NewArticleEvent for a caller that already has
// ContentHash(a) of the article as given: it is reused for the
// event id rather than hashing the text again. An empty contentHash is
// computed.
func NewArticleEventHashed(kind EventKind, a Article, now time.Time, contentHash string) ArticleEvent {
	if a.ID == "" {
		a.ID = DocID(a.Key())
	}
	if a.Authors == nil {
		a.Authors = []string{}
	}
	if a.Paywall.Signals == nil {
		a.Paywall.Signals = []string{}
	}
	if a.Paywall.Kind == "" {
		a.Paywall.Kind = PaywallNone
		contentHash = "" // the kind is hashed: the given hash is of ""
	}
	if contentHash == "" {
		contentHash = ContentHash(a)
	}
	return ArticleEvent{
		SpecVersion:     "1.0",
		ID:              a.ID + "-" + contentHash[:16] + revisionSuffix(a.Revision),
		Source:          "/newsdesk/sources/" + a.Source,
		Type:            EventType(kind),
		Time:            now.UTC(),
		DataContentType: "application/json",
		DataSchema:      SchemaBaseURL + "article-" + string(kind) + ".v" + strconv.Itoa(SchemaVersion) + ".json",
		Subject:         a.URL,
		Data:            a,
	}
}

// Kind returns the event kind encoded in the type, and whether the type is
// one this version of newsdesk understands (ParseEventType).
func (e ArticleEvent) Kind() (EventKind, bool) {
	kind, version, ok := ParseEventType(e.Type)
	if !ok || version != SchemaVersion || !kind.Known() {
		return "", false
	}
	return kind, true
}

// ContentHash fingerprints what a reader sees of an article (title, authors,
// dates, text and paywall verdict), so an unchanged page hashes the same.
// Event ids and crawl state hold it: the value must not change.
func ContentHash(a Article) string {
	h := sha256.New()
	for _, s := range []string{a.Key(), a.Title, strings.Join(a.Authors, "\x1f"),
		a.Published.UTC().Format(time.RFC3339), a.Text, string(a.Paywall.Kind),
		strconv.FormatBool(a.Paywall.Truncated)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
