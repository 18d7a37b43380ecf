package topics

import (
	"cmp"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"newsdesk/news"
	"newsdesk/parser"
)

// regexpClassify is Classify as it was before the keyword scanner: one
// regexp per rule. The scanner must give the same topics and relevance.
func regexpClassify(t testing.TB, rules []Rule, a news.Article) ([]string, float64) {
	t.Helper()
	res := regexpRules(t, rules)
	head := a.Title + "\n" + a.Description + "\n" + a.Section + "\n" + strings.Join(a.Tags, "\n")
	type scored struct {
		name  string
		score int
	}
	var hits []scored
	for i, re := range res {
		score := 0
		if re.MatchString(head) {
			score += 2
		}
		score += min(len(re.FindAllStringIndex(a.Text, 3)), 3)
		if score >= MinScore {
			hits = append(hits, scored{rules[i].Name, score})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	out := make([]string, len(hits))
	total := 0
	for i, h := range hits {
		out[i] = h.name
		total += h.score
	}
	return out, min(1, float64(total)/(2*maxScore))
}

func regexpRules(t testing.TB, rules []Rule) []*regexp.Regexp {
	var res []*regexp.Regexp
	for _, r := range rules {
		var alts []string
		for _, k := range r.Keywords {
			if k = strings.TrimSpace(k); k != "" {
				alts = append(alts, regexp.QuoteMeta(strings.ToLower(k)))
			}
		}
		res = append(res, regexp.MustCompile(`(?i)(?:^|[^\pL\pN])(?:`+strings.Join(alts, "|")+`)(?:$|[^\pL\pN])`))
	}
	return res
}

// corpusArticles parses the parser's testdata pages.
func corpusArticles(t *testing.T) []news.Article {
	files, err := filepath.Glob("../parser/testdata/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("parser testdata: %v %v", files, err)
	}
	p := parser.New(parser.Options{})
	var out []news.Article
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := p.Parse("https://example.com/"+filepath.Base(f), body)
		if err != nil && a.Text == "" {
			continue
		}
		out = append(out, a)
	}
	if len(out) < 5 {
		t.Fatalf("only %d articles parsed from the corpus", len(out))
	}
	return out
}

// tricky are texts at the edges of the regexp's semantics: case folding
// beyond ASCII (ſ, the Kelvin sign), a combining mark that (?i) counts as a
// letter, invalid UTF-8, adjacent matches sharing a boundary, prefixes of
// longer keywords, matches at both ends.
var tricky = []string{
	"", "privacy", "privacy privacy privacy privacy", "privacy  privacy  privacy  privacy",
	"PRIVACY, Privacy; privacY.", "ſpyware and SPYWARE", "bac\u212Adoor", "ba\u212Aaackdoor",
	"\u0345privacy", "privacy\u0345", "x\u0345 privacy \u0345", "\xffprivacy\xff", "priv\xffacy",
	"data brokers data broker data brokerage", "data protection authority", "data protection commission",
	"fine-fined fines", "fine2 2fine", "ïfine", "éprivacy", "privacyé", "end-to-end encrypted",
	"\nprivacy\n", "ad-tech adtech ad-tech", "gdpr\u00a0gdpr", "gdpr\u2028gdpr", "ico\u0130 ico",
	"İco ıco", "nso group's pegasus", "nso  group", "data\nprotection", "Ｇdpr", "gdpr\x00gdpr",
}

func TestScannerMatchesRegexpOnCorpus(t *testing.T) {
	texts := append([]string(nil), tricky...)
	var arts []news.Article
	for _, a := range corpusArticles(t) {
		arts = append(arts, a)
		texts = append(texts, a.Title, a.Description, a.Text)
	}
	// Random splices of keywords, separators and corpus text.
	rng := rand.New(rand.NewSource(1))
	var pieces []string
	for _, r := range Defaults {
		for _, k := range r.Keywords {
			pieces = append(pieces, k, strings.ToUpper(k))
		}
	}
	pieces = append(pieces, " ", "  ", "-", "x", "é", "\u0345", "\xff", "ſ", "\u212A", "s", "k", "\n", "1", ".", "data ", "nso ")
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.Intn(12) {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		texts = append(texts, b.String())
	}

	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	res := regexpRules(t, Defaults)
	for _, s := range texts {
		if err := countsDiffer(c, res, s); err != "" {
			t.Fatal(err)
		}
	}
	for _, a := range arts {
		got, gotRel := c.Classify(a)
		want, wantRel := regexpClassify(t, Defaults, a)
		if !slices.Equal(got, want) || gotRel != wantRel {
			t.Errorf("%s: topics %v %v, regexp version %v %v", a.URL, got, gotRel, want, wantRel)
		}
	}
	for i, s := range texts {
		a := news.Article{Title: s, Text: s + " " + s}
		if i%2 == 1 {
			a = news.Article{Description: texts[i-1], Section: s, Tags: []string{"x", s}, Text: texts[i-1] + s}
		}
		got, gotRel := c.Classify(a)
		want, wantRel := regexpClassify(t, Defaults, a)
		if !slices.Equal(got, want) || gotRel != wantRel {
			t.Errorf("%q: topics %v %v, regexp version %v %v", s, got, gotRel, want, wantRel)
		}
	}
}

// TestBoundaryMatchesRegexp checks the word test against [^\pL\pN] under
// (?i) for every rune.
func TestBoundaryMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`(?i)^[^\pL\pN]$`)
	var buf [utf8.UTFMax]byte
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(buf[:utf8.EncodeRune(buf[:], r)])
		if word, _ := isWordAt(s, 0); word == re.MatchString(s) {
			t.Fatalf("rune %U: word %v, regexp boundary %v", r, word, re.MatchString(s))
		}
	}
}

// TestCustomRuleOddities checks the one-pass matcher against the regexps
// on rules that share keywords, prefixes and folded forms, within a rule
// and across rules.
func TestCustomRuleOddities(t *testing.T) {
	for _, rules := range [][]Rule{
		{{Name: "blank", Keywords: []string{"  ", ""}}},
		{{Name: "sym", Keywords: []string{"c++", "-x-", "K", "ſ"}}},
		{{Name: "prefix", Keywords: []string{"data", "data protection", "protection law"}}},
		{
			{Name: "long first", Keywords: []string{"data protection law", "data protection", "data"}},
			{Name: "short first", Keywords: []string{"data", "data protection", "protection law"}},
			{Name: "blank", Keywords: []string{" "}},
			{Name: "folded twins", Keywords: []string{"ſpyware", "SPYWARE", "law", "LAW", "\u212Aey", "key"}},
			{Name: "tail", Keywords: []string{"protection", "law", "law law"}},
		},
	} {
		c, err := New(rules)
		if err != nil {
			t.Fatal(err)
		}
		res := regexpRules(t, rules)
		for _, s := range append(tricky, "c++ c++  c++", "-x- -x-", "k K \u212A s S ſ", "a b", "data protection law",
			"data data protection law law law", "spyware ſpyware \u212Aey KEY", "data protection law. data protection, data", "data protection data", "law law law") {
			if err := countsDiffer(c, res, s); err != "" {
				t.Errorf("rules %v: %s", rules, err)
			}
			a := news.Article{Title: s, Text: s}
			got, gotRel := c.Classify(a)
			want, wantRel := regexpClassify(t, rules, a)
			if !slices.Equal(got, want) || gotRel != wantRel {
				t.Errorf("rules %v, %q: topics %v %v, regexp version %v %v", rules, s, got, gotRel, want, wantRel)
			}
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	body, err := os.ReadFile("../parser/testdata/free-encryption-law.html")
	if err != nil {
		b.Fatal(err)
	}
	a, err := parser.New(parser.Options{}).Parse("https://example.com/a", body)
	if err != nil {
		b.Fatal(err)
	}
	c, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c.Classify(a)
	}
}

func BenchmarkClassifyRegexp(b *testing.B) {
	body, err := os.ReadFile("../parser/testdata/free-encryption-law.html")
	if err != nil {
		b.Fatal(err)
	}
	a, err := parser.New(parser.Options{}).Parse("https://example.com/a", body)
	if err != nil {
		b.Fatal(err)
	}
	res := regexpRules(b, Defaults)
	for b.Loop() {
		for _, re := range res {
			re.MatchString(a.Title)
			re.FindAllStringIndex(a.Text, 3)
		}
	}
	b.ReportMetric(float64(len(a.Text)), "text-bytes")
}

// FuzzMatcherMatchesRegexp compares the one-pass counts with the rules'
// regexps on any text, for the defaults.
func FuzzMatcherMatchesRegexp(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	c, err := New(nil)
	if err != nil {
		f.Fatal(err)
	}
	res := regexpRules(f, Defaults)
	f.Fuzz(func(t *testing.T, s string) {
		if err := countsDiffer(c, res, s); err != "" {
			t.Fatal(err)
		}
	})
}

// countsDiffer compares the one-pass keyword counts of every rule the
// scanner counts (those without an expression of their own) with its
// regexp's matches in s, at the limits Classify uses; it describes the
// first difference, or returns "".
func countsDiffer(c *Classifier, res []*regexp.Regexp, s string) string {
	st := make([]ruleScan, len(c.rules))
	for _, limit := range []int{1, 3, -1} {
		l := limit
		if l < 0 {
			l = len(s) + 1
		}
		c.kw.count(s, l, st)
		for i, r := range c.rules {
			if want := len(res[i].FindAllStringIndex(s, limit)); r.re == nil && st[i].n != want {
				return fmt.Sprintf("rule %s, limit %d, text %q: %d matches, regexp finds %d", r.name, limit, s, st[i].n, want)
			}
		}
	}
	return ""
}
