package parser

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The entity scanners below replace two regular expressions that took most
// of the parser's time on long stories: Go's regexp runs its NFA over every
// byte of the text. They find exactly what those expressions found, and
// entities_scan_test.go checks them against the expressions, which it keeps:
//
//	word:  [\pL\pN][\pL\pM\pN'’.&-]*
//	money: (?i)(?:(?:\b(?:US|A|C|NZ|HK|S))?[$€£¥]\s?|\b(?:USD|EUR|GBP|CHF|JPY)\s)\d+(?:[.,]\d+)*(?:\s?(?:million|billion|trillion|bn|mn|m|k)\b)?
//	       |\b\d+(?:[.,]\d+)*\s?(?:(?:million|billion|trillion|bn|Millionen|Milliarden|Mio\.|Mrd\.|millions d'|milliards d'|millones de|milioni di|miljoen|miljard)\s?)?(?:euros?|dollars?|pounds?|francs?|yen|Euro|USD|EUR|GBP)\b
//
// Like the expressions, they match case-insensitively with Unicode simple
// folding ("K", the Kelvin sign, is a "k"), take \b, \s and \d in their
// ASCII sense, and try alternatives in the expressions' order, so the first
// match found at a position is the one the expression reported.

// nextWord returns the [start, end) byte offsets of the first word of src
// at or after i, or start == len(src) when there is none. A word is a
// letter or digit, then letters, marks, digits and inner apostrophes, dots,
// hyphens and ampersands ("O'Brien", "U.S.", "co-founder", "AT&T").
func nextWord(src string, i int) (start, end int) {
	for i < len(src) {
		r, size := decodeRune(src, i)
		if !isWordStart(r) {
			i += size
			continue
		}
		start = i
		for i += size; i < len(src); i += size {
			r, size = decodeRune(src, i)
			if !isWordRune(r) {
				break
			}
		}
		return start, i
	}
	return len(src), len(src)
}

// decodeRune is utf8.DecodeRuneInString(src[i:]), quicker on ASCII.
func decodeRune(src string, i int) (rune, int) {
	if c := src[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(src[i:])
}

// asciiWordStart and asciiWordRune are isWordStart and isWordRune for
// ASCII, looked up in a table: most of a text is ASCII.
var asciiWordStart, asciiWordRune = func() (start, inner [utf8.RuneSelf]bool) {
	for c := range rune(utf8.RuneSelf) {
		start[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		inner[c] = start[c] || strings.ContainsRune(`'.&-`, c)
	}
	return start, inner
}()

func isWordStart(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWordStart[r]
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWordRune[r]
	}
	return r == '’' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// Alternatives of the money expression, in its order. A trailing "s?" is
// written out as the longer form first, as the greedy "?" tries it first;
// "Euro" is left out: matched without case it is "euro", already tried.
var (
	moneyPrefixes    = []string{"us", "a", "c", "nz", "hk", "s"}
	moneyCodes       = []string{"usd", "eur", "gbp", "chf", "jpy"}
	moneyScales      = []string{"million", "billion", "trillion", "bn", "mn", "m", "k"}
	moneyWordScales  = []string{"million", "billion", "trillion", "bn", "millionen", "milliarden", "mio.", "mrd.", "millions d'", "milliards d'", "millones de", "milioni di", "miljoen", "miljard"}
	moneyCurrencyWds = []string{"euros", "euro", "dollars", "dollar", "pounds", "pound", "francs", "franc", "yen", "usd", "eur", "gbp"}
)

// moneySpans returns the [start, end) byte offsets of the money amounts in
// src, leftmost first and not overlapping.
func moneySpans(src string) [][2]int {
	var spans [][2]int
	for i := 0; i < len(src); {
		if mayStartMoney(src, i) {
			if end := moneyAt(src, i); end >= 0 {
				spans = append(spans, [2]int{i, end})
				i = end
				continue
			}
		}
		i++
	}
	return spans
}

// mayStartMoney is a cheap test that spares moneyAt most positions: an
// amount starts with a dollar sign, with the first byte of €, £ or ¥ (or
// of the long s, which folds to "s"), or with a digit or the first letter
// of a prefix or code after a \b, as every alternative that starts with
// one puts a \b before it.
func mayStartMoney(src string, i int) bool {
	switch c := src[i]; {
	case c == '$' || c == 0xc2 || c == 0xc5 || c == 0xe2:
		return true
	case isDigit(c) || moneyInitials[c]:
		return i == 0 || !isWordByte(src[i-1])
	}
	return false
}

// moneyInitials are the first letters of moneyPrefixes and moneyCodes, in
// either case.
var moneyInitials = func() (set [256]bool) {
	for _, w := range slices.Concat(moneyPrefixes, moneyCodes) {
		set[w[0]] = true
		set[w[0]-'a'+'A'] = true
	}
	return set
}()

// moneyAt returns the end of the money amount starting at i, or -1.
func moneyAt(src string, i int) int {
	c := src[i]
	if isDigit(c) {
		return moneyWordAt(src, i)
	}
	// Only a letter (or a non-ASCII rune: a currency sign or a letter that
	// folds to one of the prefixes, like the long s) can start a prefix.
	if c < utf8.RuneSelf && c != '$' && !('a' <= c|0x20 && c|0x20 <= 'z') {
		return -1
	}
	// (?:\b(?:US|A|C|NZ|HK|S))?[$€£¥]\s?, with the prefix first.
	if wordBoundary(src, i) {
		for _, p := range moneyPrefixes {
			if n := foldPrefix(src[i:], p); n > 0 {
				if end := currencySignAmount(src, i+n); end >= 0 {
					return end
				}
			}
		}
	}
	if end := currencySignAmount(src, i); end >= 0 {
		return end
	}
	// \b(?:USD|EUR|GBP|CHF|JPY)\s
	if wordBoundary(src, i) {
		for _, code := range moneyCodes {
			if n := foldPrefix(src[i:], code); n > 0 && i+n < len(src) && isSpace(src[i+n]) {
				if end := amountWithScale(src, i+n+1); end >= 0 {
					return end
				}
			}
		}
	}
	return -1
}

// currencySignAmount matches [$€£¥]\s? and the amount after it at i.
func currencySignAmount(src string, i int) int {
	if i >= len(src) {
		return -1
	}
	r, size := utf8.DecodeRuneInString(src[i:])
	if r != '$' && r != '€' && r != '£' && r != '¥' {
		return -1
	}
	ats, n := optionalSpace(src, i+size)
	for _, at := range ats[:n] {
		if end := amountWithScale(src, at); end >= 0 {
			return end
		}
	}
	return -1
}

// amountWithScale matches \d+(?:[.,]\d+)*(?:\s?(?:million|...|k)\b)? at i.
func amountWithScale(src string, i int) int {
	end := number(src, i)
	if end < 0 {
		return -1
	}
	ats, k := optionalSpace(src, end)
	for _, at := range ats[:k] {
		for _, s := range moneyScales {
			if n := foldPrefix(src[at:], s); n > 0 && wordBoundary(src, at+n) {
				return at + n
			}
		}
	}
	return end
}

// moneyWordAt matches the second alternative at i, an amount followed by a
// currency word: \b\d+(?:[.,]\d+)*\s?(?:(?:scale)\s?)?(?:currency)\b.
func moneyWordAt(src string, i int) int {
	if !wordBoundary(src, i) {
		return -1
	}
	end := number(src, i)
	if end < 0 {
		return -1
	}
	// A shorter number never helps: what follows it would be a digit, a
	// dot or a comma, which nothing after the number starts with.
	ats, k := optionalSpace(src, end)
	for _, at := range ats[:k] {
		for _, s := range moneyWordScales {
			if n := foldPrefix(src[at:], s); n > 0 {
				curs, m := optionalSpace(src, at+n)
				for _, cur := range curs[:m] {
					if e := currencyWordAt(src, cur); e >= 0 {
						return e
					}
				}
			}
		}
		if e := currencyWordAt(src, at); e >= 0 {
			return e
		}
	}
	return -1
}

// currencyWordAt matches (?:euros?|dollars?|...|GBP)\b at i.
func currencyWordAt(src string, i int) int {
	for _, w := range moneyCurrencyWds {
		if n := foldPrefix(src[i:], w); n > 0 && wordBoundary(src, i+n) {
			return i + n
		}
	}
	return -1
}

// number matches \d+(?:[.,]\d+)* at i and returns its end, or -1.
func number(src string, i int) int {
	if i >= len(src) || !isDigit(src[i]) {
		return -1
	}
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	for i+1 < len(src) && (src[i] == '.' || src[i] == ',') && isDigit(src[i+1]) {
		i++
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	return i
}

// optionalSpace returns where a greedy \s? at i may end, in the order the
// expression tries them: the first n of the array.
func optionalSpace(src string, i int) (ats [2]int, n int) {
	if i < len(src) && isSpace(src[i]) {
		return [2]int{i + 1, i}, 2
	}
	return [2]int{i}, 1
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isSpace is \s: ASCII white space, without \v.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isWordByte(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// wordBoundary is \b at i: an ASCII word character on one side only.
func wordBoundary(src string, i int) bool {
	before := i > 0 && isWordByte(src[i-1])
	after := i < len(src) && isWordByte(src[i])
	return before != after
}

// foldPrefix returns how many bytes of s match lit, a lower-case ASCII
// literal, without case under Unicode simple folding; 0 if they do not.
func foldPrefix(s, lit string) int {
	i := 0
	for k := 0; k < len(lit); k++ {
		if i >= len(s) {
			return 0
		}
		l := lit[k]
		if c := s[i]; c < utf8.RuneSelf {
			if c != l && !('a' <= l && l <= 'z' && c|0x20 == l) {
				return 0
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !foldsTo(r, rune(l)) {
			return 0
		}
		i += size
	}
	return i
}

// foldsTo reports whether r is in l's case-folding orbit.
func foldsTo(r, l rune) bool {
	for f := unicode.SimpleFold(l); f != l; f = unicode.SimpleFold(f) {
		if f == r {
			return true
		}
	}
	return false
}
