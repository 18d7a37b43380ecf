package events

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"newsdesk/news"
)

// decodeEvent reads data, one message of the article stream, into ev as
// json.Unmarshal does. Decoding was a fifth of the consumer's CPU time per
// document (BenchmarkIndexThroughput): encoding/json scans each message
// twice (once to validate it, once to decode) through reflection. Events
// as newsdesk publishes them (every key spelled as the schema has it,
// once, no nulls) are read by parseEvent in one pass; anything else (an
// unknown key, a key in another case, a null, a syntax error) is left to
// json.Unmarshal, so the result, and the error, are always its own
// (TestDecodeEventAsEncodingJSON, FuzzDecodeEvent).
func decodeEvent(data []byte, ev *news.ArticleEvent) error {
	var fast news.ArticleEvent
	if parseEvent(data, &fast) {
		*ev = fast
		return nil
	}
	return json.Unmarshal(data, ev)
}

// parseEvent reads data into ev and reports whether it could: false means
// "ask encoding/json", not that data is invalid.
func parseEvent(data []byte, ev *news.ArticleEvent) bool {
	p := parser{b: data}
	ok := p.object(func(key string) bool {
		switch key {
		case "specversion":
			return p.str(&ev.SpecVersion)
		case "id":
			return p.str(&ev.ID)
		case "source":
			return p.str(&ev.Source)
		case "type":
			return p.str(&ev.Type)
		case "time":
			return p.time(&ev.Time)
		case "datacontenttype":
			return p.str(&ev.DataContentType)
		case "dataschema":
			return p.str(&ev.DataSchema)
		case "subject":
			return p.str(&ev.Subject)
		case "data":
			return p.article(&ev.Data)
		}
		return false
	})
	p.space()
	return ok && p.i == len(p.b)
}

func (p *parser) article(a *news.Article) bool {
	return p.object(func(key string) bool {
		switch key {
		case "id":
			return p.str(&a.ID)
		case "url":
			return p.str(&a.URL)
		case "canonical_url":
			return p.str(&a.CanonicalURL)
		case "source":
			return p.str(&a.Source)
		case "site_name":
			return p.str(&a.SiteName)
		case "title":
			return p.str(&a.Title)
		case "authors":
			return p.strings(&a.Authors)
		case "published":
			return p.time(&a.Published)
		case "modified":
			return p.time(&a.Modified)
		case "language":
			return p.str(&a.Language)
		case "description":
			return p.str(&a.Description)
		case "section":
			return p.str(&a.Section)
		case "tags":
			return p.strings(&a.Tags)
		case "image":
			return p.str(&a.Image)
		case "text":
			return p.str(&a.Text)
		case "word_count":
			return p.int(&a.WordCount)
		case "topics":
			return p.strings(&a.Topics)
		case "relevance":
			return p.float(&a.Relevance)
		case "entities":
			a.Entities = []news.Entity{}
			return p.array(func() bool {
				a.Entities = append(a.Entities, news.Entity{})
				return p.entity(&a.Entities[len(a.Entities)-1])
			})
		case "paywall":
			return p.paywall(&a.Paywall)
		case "fetched_at":
			return p.time(&a.FetchedAt)
		case "first_seen":
			return p.time(&a.FirstSeen)
		case "revision":
			return p.int(&a.Revision)
		case "changes":
			return p.strings(&a.Changes)
		case "archive":
			a.Archive = &news.ArchiveRef{}
			return p.archive(a.Archive)
		}
		return false
	})
}

func (p *parser) entity(e *news.Entity) bool {
	return p.object(func(key string) bool {
		switch key {
		case "name":
			return p.str(&e.Name)
		case "kind":
			return p.str((*string)(&e.Kind))
		case "count":
			return p.int(&e.Count)
		}
		return false
	})
}

func (p *parser) paywall(w *news.Paywall) bool {
	return p.object(func(key string) bool {
		switch key {
		case "detected":
			return p.bool(&w.Detected)
		case "kind":
			return p.str((*string)(&w.Kind))
		case "truncated":
			return p.bool(&w.Truncated)
		case "signals":
			return p.strings(&w.Signals)
		}
		return false
	})
}

func (p *parser) archive(r *news.ArchiveRef) bool {
	return p.object(func(key string) bool {
		switch key {
		case "file":
			return p.str(&r.File)
		case "offset":
			n, ok := p.integer(64)
			r.Offset = n
			return ok
		case "record_id":
			return p.str(&r.RecordID)
		}
		return false
	})
}

// parser reads JSON from b at i. Every method reports whether it read what
// it was asked for; on false the parse is abandoned.
type parser struct {
	b []byte
	i int
}

// space skips JSON white space.
func (p *parser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// next skips white space and consumes c if it comes next.
func (p *parser) next(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// object reads an object, calling field for each key with the parser at
// its value. A key seen twice is refused: encoding/json merges a repeated
// object into the first, which field does not.
func (p *parser) object(field func(key string) bool) bool {
	if !p.next('{') {
		return false
	}
	if p.next('}') {
		return true
	}
	var seen []string
	for {
		var key string
		if !p.str(&key) || !p.next(':') {
			return false
		}
		for _, k := range seen {
			if k == key {
				return false
			}
		}
		seen = append(seen, key)
		if !field(key) {
			return false
		}
		if p.next(',') {
			continue
		}
		return p.next('}')
	}
}

// array reads an array, calling elem with the parser at each element.
func (p *parser) array(elem func() bool) bool {
	if !p.next('[') {
		return false
	}
	if p.next(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if p.next(',') {
			continue
		}
		return p.next(']')
	}
}

// strings reads an array of strings; [] is an empty slice, not nil, as
// encoding/json makes it.
func (p *parser) strings(out *[]string) bool {
	*out = []string{}
	return p.array(func() bool {
		var s string
		ok := p.str(&s)
		*out = append(*out, s)
		return ok
	})
}

// plainByte marks the bytes that stand for themselves in a JSON string:
// printable ASCII but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf-1; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// literal reads a string literal and returns it whole, quotes included,
// and whether its contents are plain bytes only (no escape to decode, no
// UTF-8 to check).
func (p *parser) literal() (lit []byte, plain bool) {
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return nil, false
	}
	start, i := p.i, p.i+1
	for i < len(p.b) && plainByte[p.b[i]] {
		i++
	}
	plain = true
	for ; i < len(p.b); i++ {
		switch p.b[i] {
		case '\\':
			i++ // the escaped byte cannot end the string
			plain = false
		case '"':
			p.i = i + 1
			return p.b[start:p.i], plain
		default:
			plain = plain && plainByte[p.b[i]]
		}
	}
	return nil, false
}

// str reads a string.
func (p *parser) str(out *string) bool {
	lit, plain := p.literal()
	switch {
	case lit == nil:
		return false
	case plain:
		*out = string(lit[1 : len(lit)-1])
		return true
	}
	var ok bool
	*out, ok = unquote(lit[1 : len(lit)-1])
	return ok
}

// time reads a time as encoding/json does: the literal, quotes included,
// to time.Time's UnmarshalJSON.
func (p *parser) time(out *time.Time) bool {
	lit, _ := p.literal()
	return lit != nil && out.UnmarshalJSON(lit) == nil
}

// bool reads true or false.
func (p *parser) bool(out *bool) bool {
	p.space()
	rest := p.b[p.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		p.i, *out = p.i+4, true
	case len(rest) >= 5 && string(rest[:5]) == "false":
		p.i, *out = p.i+5, false
	default:
		return false
	}
	return true
}

// number reads a number literal as JSON spells it.
func (p *parser) number() (string, bool) {
	p.space()
	start, b := p.i, p.b
	i := start
	digits := func() bool {
		n := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return "", false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return "", false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return "", false
		}
	}
	p.i = i
	return string(b[start:i]), true
}

// int reads a number into an int.
func (p *parser) int(out *int) bool {
	n, ok := p.integer(strconv.IntSize)
	*out = int(n)
	return ok
}

// integer reads a number as encoding/json does for an integer of bits
// bits: an integer in range, nothing else.
func (p *parser) integer(bits int) (int64, bool) {
	s, ok := p.number()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, bits)
	return n, err == nil
}

// float reads a number into a float64 as encoding/json does.
func (p *parser) float(out *float64) bool {
	s, ok := p.number()
	if !ok {
		return false
	}
	f, err := strconv.ParseFloat(s, 64)
	*out = f
	return err == nil
}

// unquote is the value of the string literal whose contents (between the
// quotes) are s, as encoding/json decodes it: invalid UTF-8 and unpaired
// surrogates become U+FFFD. It refuses what encoding/json's scanner
// refuses: control characters, and escapes other than \" \\ \/ \b \f \n
// \r \t and \uXXXX.
func unquote(s []byte) (string, bool) {
	r := 0
	for r < len(s) {
		c := s[r]
		if c == '\\' || c < ' ' {
			break
		}
		if c < utf8.RuneSelf {
			r++
			continue
		}
		rr, size := utf8.DecodeRune(s[r:])
		if rr == utf8.RuneError && size == 1 {
			break
		}
		r += size
	}
	if r == len(s) {
		return string(s), true
	}
	b := make([]byte, 0, len(s)+2*utf8.UTFMax)
	b = append(b, s[:r]...)
	for r < len(s) {
		switch c := s[r]; {
		case c == '\\':
			r++
			if r >= len(s) {
				return "", false
			}
			switch s[r] {
			case '"', '\\', '/':
				b = append(b, s[r])
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r-1:])
				if rr < 0 {
					return "", false
				}
				r += 5
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != unicode.ReplacementChar {
						r += 6
						b = utf8.AppendRune(b, dec)
						continue
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default:
				return "", false
			}
			r++
		case c < ' ':
			return "", false
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return string(b), true
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
