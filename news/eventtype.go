package news

import (
	"strconv"
	"strings"
)

// articleTypePrefix starts the CloudEvents type of every article event,
// whatever its kind and schema version.
const articleTypePrefix = "io.newsdesk.article."

// ParseEventType reads an article event type as EventType writes it,
// io.newsdesk.article.<kind>.v<version>, for any kind and version, so that
// a reader can tell an article event of another schema version from
// something else. ok is false for any other type (alerts included).
func ParseEventType(typ string) (kind EventKind, version int, ok bool) {
	rest, ok := strings.CutPrefix(typ, articleTypePrefix)
	if !ok {
		return "", 0, false
	}
	i := strings.LastIndex(rest, ".v")
	if i <= 0 {
		return "", 0, false
	}
	version, err := strconv.Atoi(rest[i+2:])
	if err != nil || version < 1 || rest[i+2] == '+' {
		return "", 0, false
	}
	return EventKind(rest[:i]), version, true
}

// Known reports whether k is a kind of article event this version of
// newsdesk publishes.
func (k EventKind) Known() bool {
	return k == ArticleCreated || k == ArticleUpdated
}
