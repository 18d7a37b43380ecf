package parser

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The expressions the entity scanners replace: the scanners must find
// exactly what these find.
var (
	refMoneyRE = regexp.MustCompile(`(?i)(?:(?:\b(?:US|A|C|NZ|HK|S))?[$€£¥]\s?|\b(?:USD|EUR|GBP|CHF|JPY)\s)\d+(?:[.,]\d+)*(?:\s?(?:million|billion|trillion|bn|mn|m|k)\b)?` +
		`|\b\d+(?:[.,]\d+)*\s?(?:(?:million|billion|trillion|bn|Millionen|Milliarden|Mio\.|Mrd\.|millions d'|milliards d'|millones de|milioni di|miljoen|miljard)\s?)?(?:euros?|dollars?|pounds?|francs?|yen|Euro|USD|EUR|GBP)\b`)
	refWordRE = regexp.MustCompile(`[\pL\pN][\pL\pM\pN'’.&-]*`)
)

// scanPieces are glued at random into texts that exercise every branch of
// the expressions: prefixes, signs, codes, scales, currency words, their
// case-folded look-alikes (the long s, the Kelvin sign), word boundaries,
// marks and broken UTF-8.
var scanPieces = strings.Fields(`US us A a C NZ HK hK S s ſ K x Q _ é É ß ² 5 12 007 . , ' ’ - & $ € £ ¥
	million Million MILLION billion trillion bn BN mn m M k Millionen Milliarden Mio. mrd. millions milliards millones milioni d' de di
	miljoen miljard euros euro Euro EURO dollars dollar pounds francs yen USD usd EUR GBP CHF JPY eurosceptic 1.2 3,5 4.`)

func randomScanText(r *rand.Rand) string {
	var sb strings.Builder
	for range r.IntN(12) {
		switch r.IntN(8) {
		case 0:
			sb.WriteString(" ")
		case 1:
			sb.WriteString([]string{"\t", "\n", "\u00a0", "\v", "\u0301", "\xff", "  "}[r.IntN(7)])
		}
		sb.WriteString(scanPieces[r.IntN(len(scanPieces))])
	}
	return sb.String()
}

// wordSpans returns the spans of all the words of src.
func wordSpans(src string) [][2]int {
	var spans [][2]int
	for i := 0; ; {
		start, end := nextWord(src, i)
		if start == len(src) {
			return spans
		}
		spans = append(spans, [2]int{start, end})
		i = end
	}
}

func refSpans(re *regexp.Regexp, s string) [][2]int {
	var out [][2]int
	for _, loc := range re.FindAllStringIndex(s, -1) {
		out = append(out, [2]int{loc[0], loc[1]})
	}
	return out
}

func checkScanners(t *testing.T, s string) {
	t.Helper()
	if got, want := moneySpans(s), refSpans(refMoneyRE, s); !slices.Equal(got, want) {
		t.Fatalf("moneySpans(%q) = %v, want %v", s, got, want)
	}
	if got, want := wordSpans(s), refSpans(refWordRE, s); !slices.Equal(got, want) {
		t.Fatalf("wordSpans(%q) = %v, want %v", s, got, want)
	}
}

func TestEntityScannersMatchExpressions(t *testing.T) {
	for _, s := range []string{
		"", "$5", "US$ 3 million", "ſ$5", "xſ$5", "HK$12.5bn", "H\u212a$1k", "5 Millionen Euro", "14 millions d'euros",
		"1.2 billion euros", "£2.5bn.", "€18 Million", "USD 40", "usd\t7 mn", "3 eurosceptic", "4. euro", "2,5 Mio. EUR",
		"A$1,000,000", "CHF 9", "a5 euro", "_5 euro", "5m", "5 mile", "O'Brien U.S. co-founder AT&T Köhler’s e\u0301t\u00e9",
	} {
		checkScanners(t, s)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		checkScanners(t, randomScanText(r))
	}
}

// FuzzEntityScanners checks the scanners against the expressions on any
// text: go test -fuzz=FuzzEntityScanners ./parser/
func FuzzEntityScanners(f *testing.F) {
	f.Add("The fine was £2.5bn. Another was 1.2 billion euros, then €18 Million and US$ 3 million.")
	f.Add("Die Stadt zahlt 14 Millionen Euro für den Umbau.")
	f.Fuzz(func(t *testing.T, s string) { checkScanners(t, s) })
}
