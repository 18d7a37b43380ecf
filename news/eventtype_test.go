package news

import "testing"

// Every reader of event types (the consumer, `newsdesk subscribe`) reads
// them through ParseEventType: what EventType writes parses back, another
// schema version is recognised as an article event it must not guess at,
// and nothing else is taken for one.
func TestParseEventType(t *testing.T) {
	for _, k := range []EventKind{ArticleCreated, ArticleUpdated} {
		kind, version, ok := ParseEventType(EventType(k))
		if !ok || kind != k || version != SchemaVersion {
			t.Errorf("ParseEventType(%q) = %q, %d, %v", EventType(k), kind, version, ok)
		}
		if got, ok := (ArticleEvent{Type: EventType(k)}).Kind(); !ok || got != k {
			t.Errorf("Kind of %q = %q, %v", EventType(k), got, ok)
		}
	}
	kind, version, ok := ParseEventType("io.newsdesk.article.created.v9")
	if !ok || kind != ArticleCreated || version != 9 {
		t.Errorf("another version: %q, %d, %v", kind, version, ok)
	}
	for _, typ := range []string{"io.newsdesk.article.created.v9", "io.newsdesk.article.deleted.v1"} {
		if _, ok := (ArticleEvent{Type: typ}).Kind(); ok {
			t.Errorf("Kind of %q is understood", typ)
		}
	}
	for _, typ := range []string{AlertType, "", "io.newsdesk.article.", "io.newsdesk.article.created",
		"io.newsdesk.article.created.v", "io.newsdesk.article.created.v0", "io.newsdesk.article.created.v+1",
		"io.newsdesk.article..v1", "io.newsdesk.article.v1", "com.example.article.created.v1"} {
		if kind, version, ok := ParseEventType(typ); ok {
			t.Errorf("ParseEventType(%q) = %q, %d, true", typ, kind, version)
		}
	}
}
