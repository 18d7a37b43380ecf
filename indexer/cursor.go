package indexer

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"newsdesk/news"
)

// maxCursorBytes bounds a cursor from a user before it is decoded.
const maxCursorBytes = 2048

// EncodeCursor makes the opaque Results.Next of a page from the sort values
// of its last hit, as the backend reported them. The values stay raw JSON so
// that numbers (scores, epoch milliseconds near the int64 limits) come back
// to the backend exactly as it wrote them.
func EncodeCursor(values []json.RawMessage) string {
	b, err := json.Marshal(values)
	if err != nil {
		return "" // raw messages from a decoder always marshal
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor. It checks that it holds
// n plain values (strings or numbers), so nothing a user forges reaches the
// backend as anything but a sort key; errors wrap news.ErrInvalidQuery.
func DecodeCursor(s string, n int) ([]json.RawMessage, error) {
	bad := func(why string) error { return fmt.Errorf("after: %s: %w", why, news.ErrInvalidQuery) }
	if len(s) > maxCursorBytes {
		return nil, bad("cursor too long")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad("not a cursor")
	}
	var values []json.RawMessage
	if err := json.Unmarshal(b, &values); err != nil {
		return nil, bad("not a cursor")
	}
	if len(values) != n {
		return nil, bad("cursor of another sort order")
	}
	for _, v := range values {
		v = bytes.TrimSpace(v)
		if len(v) == 0 || !(v[0] == '"' || v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) {
			return nil, bad("not a cursor")
		}
	}
	return values, nil
}

// CursorKind is what one value of a cursor must be for the backend to take
// it as the sort key it stands for.
type CursorKind int

// The kinds of sort values.
const (
	CursorString CursorKind = iota // a JSON string (an ID)
	CursorFloat                    // a finite number (a score)
	CursorInt64                    // a whole number within int64 (epoch milliseconds)
)

// DecodeCursorAs is DecodeCursor for a cursor whose values have the given
// kinds, in order: a forged cursor with a string where the backend sorts
// by date, or a number beyond int64, is the user's error (wrapping
// news.ErrInvalidQuery), not a failure of the backend.
func DecodeCursorAs(s string, kinds ...CursorKind) ([]json.RawMessage, error) {
	raw, err := DecodeCursor(s, len(kinds))
	if err != nil {
		return nil, err
	}
	for i, v := range raw {
		if !cursorValueIs(bytes.TrimSpace(v), kinds[i]) {
			return nil, fmt.Errorf("after: not a cursor: %w", news.ErrInvalidQuery)
		}
	}
	return raw, nil
}

func cursorValueIs(v json.RawMessage, kind CursorKind) bool {
	switch kind {
	case CursorString:
		var s string
		return json.Unmarshal(v, &s) == nil
	case CursorFloat:
		var f float64
		return v[0] != '"' && json.Unmarshal(v, &f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
	case CursorInt64:
		_, err := strconv.ParseInt(string(v), 10, 64)
		return err == nil
	}
	return false
}

// CursorStrings decodes a cursor of n string values.
func CursorStrings(s string, n int) ([]string, error) {
	raw, err := DecodeCursor(s, n)
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i, v := range raw {
		if err := json.Unmarshal(v, &out[i]); err != nil {
			return nil, fmt.Errorf("after: not a cursor: %w", news.ErrInvalidQuery)
		}
	}
	return out, nil
}

// StringsCursor encodes string sort values as a cursor.
func StringsCursor(values []string) string {
	raw := make([]json.RawMessage, len(values))
	for i, v := range values {
		raw[i], _ = json.Marshal(v)
	}
	return EncodeCursor(raw)
}

// MaxGroupedOffset bounds the offset of a grouped page: Elasticsearch's
// default result window.
const MaxGroupedOffset = 10000

// GroupedStart is where a grouped page starts: the offset its cursor holds,
// else q.Offset. A grouped search (news.Query.Group) pages by offset, since
// Elasticsearch's collapse takes search_after only when sorting by the
// group alone; its cursor is one number, so a cursor of an ungrouped
// search is refused, and the other way round.
func GroupedStart(q news.Query) (int, error) {
	if q.After == "" {
		return max(q.Offset, 0), nil
	}
	raw, err := DecodeCursor(q.After, 1)
	if err != nil {
		return 0, err
	}
	var off int
	if err := json.Unmarshal(raw[0], &off); err != nil || off < 0 || off >= MaxGroupedOffset {
		return 0, fmt.Errorf("after: not a cursor: %w", news.ErrInvalidQuery)
	}
	return off, nil
}

// GroupedCursor is the Next of a grouped page that starts at offset: none
// at or beyond MaxGroupedOffset, where no page can start.
func GroupedCursor(offset int) string {
	if offset >= MaxGroupedOffset {
		return ""
	}
	raw, _ := json.Marshal(offset)
	return EncodeCursor([]json.RawMessage{raw})
}
