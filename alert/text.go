package alert

import (
	"slices"

	"newsdesk/news"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of an article: lower-cased letters and digits.
type token struct {
	word  string
	start int // byte offset in the field it came from
	field int // index of the field
}

// tokenize splits s into lower-cased words of letters and digits. It is the
// one definition of a word for both queries and articles, so they agree.
func tokenize(s string, field int, out []token) []token {
	start := -1
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, token{word: lower(s[start:i]), start: start, field: field})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{word: lower(s[start:]), start: start, field: field})
	}
	return out
}

// lower lower-cases w without allocating when it already is.
func lower(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.ToLower(w)
		}
	}
	return w
}

// doc is an article prepared for matching. Positions of a word are a chain
// through next, so tokenizing allocates per article, not per word.
type doc struct {
	fields []string         // title, description, text
	starts []int            // position of each field's first token
	toks   []token          // in order; a token's position is its index
	words  map[string]int32 // word -> its number
	head   []int32          // word number -> its first position
	next   []int32          // position -> the word's next position, or -1
	sorted []string         // distinct words, sorted, for prefix terms
	// memo caches each leaf's answer by leaf id (0 unknown, 1 yes, 2 no):
	// watches share words, and each is looked up once per article.
	memo []int8
	// article is what field filters of a query (source:ledger) compare.
	article *news.Article
	// prefixes, when not nil, holds every prefix of the watches that some
	// word starts with (see Matcher.markPrefixes): then hasPrefix is a map
	// lookup instead of a sort of the article's words.
	prefixes map[string]bool
}

// newDoc tokenizes the fields. A phrase never matches across two fields.
func newDoc(fields ...string) *doc {
	size := 0
	for _, f := range fields {
		size += len(f)
	}
	d := &doc{fields: fields, toks: make([]token, 0, size/5+8)}
	for i, f := range fields {
		d.starts = append(d.starts, len(d.toks))
		d.toks = tokenize(f, i, d.toks)
	}
	// One map lookup per token: word -> word number; the chain of a word's
	// positions runs from head[n] through next to tail[n].
	d.words = make(map[string]int32, len(d.toks))
	d.next = make([]int32, len(d.toks))
	var tail []int32
	for i, t := range d.toks {
		d.next[i] = -1
		if n, ok := d.words[t.word]; ok {
			d.next[tail[n]] = int32(i)
			tail[n] = int32(i)
			continue
		}
		d.words[t.word] = int32(len(d.head))
		d.head = append(d.head, int32(i))
		tail = append(tail, int32(i))
	}
	return d
}

// has reports whether word occurs.
func (d *doc) has(word string) bool {
	_, ok := d.words[word]
	return ok
}

// from returns the first position at or after from where word occurs, or -1.
func (d *doc) from(word string, from int) int {
	n, ok := d.words[word]
	if !ok {
		return -1
	}
	p := d.head[n]
	for p >= 0 && int(p) < from {
		p = d.next[p]
	}
	return int(p)
}

// hasPrefix reports whether some word starts with p.
func (d *doc) hasPrefix(p string) bool {
	if d.prefixes != nil {
		return d.prefixes[p]
	}
	if d.sorted == nil {
		d.sorted = make([]string, 0, len(d.words))
		for w := range d.words {
			d.sorted = append(d.sorted, w)
		}
		slices.Sort(d.sorted)
	}
	i, _ := slices.BinarySearch(d.sorted, p)
	return i < len(d.sorted) && strings.HasPrefix(d.sorted[i], p)
}

// phraseAt returns the first position at or after from where words occur
// in a row within one field, or -1.
func (d *doc) phraseAt(words []string, from int) int {
	for p := d.from(words[0], from); p >= 0; p = int(d.next[p]) {
		if p+len(words) > len(d.toks) {
			break
		}
		ok := true
		for j := 1; j < len(words); j++ {
			t := d.toks[p+j]
			if t.word != words[j] || t.field != d.toks[p].field {
				ok = false
				break
			}
		}
		if ok {
			return p
		}
	}
	return -1
}

// snippetLen is the most characters of text a snippet shows.
const snippetLen = 200

// snippet returns up to snippetLen characters of field around byte offset
// at, cut at spaces, with "…" where it was cut.
func snippet(field string, at int) string {
	if field == "" {
		return ""
	}
	at = min(max(at, 0), len(field))
	from := max(0, at-snippetLen/3)
	if from > 0 {
		if i := strings.IndexByte(field[from:at], ' '); i >= 0 {
			from += i + 1
		}
	}
	to := min(len(field), from+snippetLen)
	if to < len(field) {
		if i := strings.LastIndexByte(field[from:to], ' '); i > 0 {
			to = from + i
		}
	}
	for !utf8.RuneStart(field[from]) && from < to {
		from++
	}
	for to < len(field) && !utf8.RuneStart(field[to]) {
		to--
	}
	s := strings.Join(strings.Fields(field[from:to]), " ")
	if from > 0 {
		s = "…" + s
	}
	if to < len(field) {
		s += "…"
	}
	return s
}
