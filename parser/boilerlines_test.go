package parser

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// libraryPage wraps paragraphs in a plain article page whose byline, if
// any, is given by meta.
func libraryPage(meta string, paras ...string) []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><title>Council votes on the new library</title>` + meta +
		`<meta property="og:type" content="article"><meta property="article:section" content="Local News"></head><body><article><h1>Council votes on the new library</h1>`)
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`</article></body></html>`)
	return []byte(b.String())
}

// libraryProse is enough story for the page to be an article.
var libraryProse = []string{
	"The city council voted on Tuesday night to build a new library on the site of the old bus depot, ending a debate that has run for three years.",
	"Supporters said the branch would serve twelve thousand residents who now travel across town, while opponents questioned the cost of the project.",
	"Construction is due to begin next spring, and the council expects the doors to open in the autumn of the following year, officials said.",
}

func TestBoilerplateLinesLeftOut(t *testing.T) {
	cases := []struct{ name, line string }{
		{"contact line", "Contact Jane Doe at jdoe@example.com or 555-0100."},
		{"reached line", "Jane Doe can be reached at jdoe@example.com or on Twitter @janedoe."},
		{"reporter note", "Have a tip? Amy Kuperinsky may be reached at akuperinsky@example.com. Follow her on Twitter."},
		{"caption with credit", "Residents queue outside the old library on Monday. (Photo: Jane Doe)"},
		{"agency caption", "Council members listen to residents during the hearing. (AP Photo/John Roe)"},
		{"credit line", "Photo by John Roe/Getty Images"},
		{"german credit", "Foto: dpa"},
		{"creative commons", "This article is republished from The Conversation under a Creative Commons license. Read the original article."},
		{"click here", "Click here for more local news."},
		{"for more click here", "For more business news, click here."},
		{"follow us", "Follow The Courier on Twitter and Instagram @courier and on Facebook."},
		{"spanish follow us", "Síguenos en Telegram, Instagram, Facebook y Twitter"},
		{"app promo", "For the latest stories and breaking news updates download the Courier apps for iOS and Android."},
		{"related heading", "Das könnte Sie auch interessieren!"},
		{"rating heading", "War der Artikel nützlich?"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			paras := append([]string{libraryProse[0], c.line}, libraryProse[1:]...)
			a, err := New(Options{}).Parse("https://news.example/local/library", libraryPage(`<meta name="author" content="Sam Reed">`, paras...))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(a.Text, c.line) {
				t.Errorf("text keeps %q:\n%s", c.line, a.Text)
			}
			for _, p := range libraryProse {
				if !strings.Contains(a.Text, p) {
					t.Errorf("text lost the story paragraph %q", p)
				}
			}
			if !slices.Equal(a.Authors, []string{"Sam Reed"}) {
				t.Errorf("authors = %q, want the declared byline", a.Authors)
			}
		})
	}
}

func TestSectionKickerLeftOut(t *testing.T) {
	a, err := New(Options{}).Parse("https://news.example/local/library", libraryPage("", append([]string{"LOCAL NEWS"}, libraryProse...)...))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Text, "LOCAL NEWS") {
		t.Errorf("text keeps the kicker:\n%s", a.Text)
	}
	if !strings.HasPrefix(a.Text, libraryProse[0]) {
		t.Errorf("text should start with the story, got:\n%s", a.Text)
	}
}

func TestContactLineNamesAuthorWithoutByline(t *testing.T) {
	for _, line := range []string{
		"Jane Doe can be reached at jdoe@example.com or 555-0100.",
		"Contact Jane Doe at jdoe@example.com.",
		"Jane Doe is a reporter for the Courier. She can be reached at jdoe@example.com.",
	} {
		a, err := New(Options{}).Parse("https://news.example/local/library", libraryPage("", append(slices.Clone(libraryProse), line)...))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Authors, []string{"Jane Doe"}) {
			t.Errorf("%q: authors = %q, want [Jane Doe]", line, a.Authors)
		}
		if strings.Contains(a.Text, "reached") || strings.Contains(a.Text, "jdoe@") {
			t.Errorf("%q: text keeps the contact line:\n%s", line, a.Text)
		}
	}
}

// Prose that uses the same words is the story.
func TestBoilerplateLookalikesKept(t *testing.T) {
	for _, line := range []string{
		"Photo booths and reading rooms will fill the ground floor, the architect said, and the children's wing will face the park.",
		"Residents can contact the library board at its monthly meetings, which are open to the public and held at city hall.",
		"The board said the mayor could not be reached for comment before the vote, and her office did not answer questions on Wednesday.",
		"Creative Commons licences let the library share its local history archive online, and volunteers have scanned six thousand photographs.",
		"GIRLS BASKETBALL",
		"Residents who follow the project can watch the council's meetings on the city's own channel, the clerk said on Monday.",
	} {
		a, err := New(Options{}).Parse("https://news.example/local/library", libraryPage("", append(slices.Clone(libraryProse[:1]), append([]string{line}, libraryProse[1:]...)...)...))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Text, line) {
			t.Errorf("text lost %q:\n%s", line, a.Text)
		}
		if len(a.Authors) != 0 {
			t.Errorf("%q: authors = %q, want none", line, a.Authors)
		}
	}
}

// TestFirstBytesOfPatterns checks the bytes mayStartWith is given for
// each anchored pattern against the pattern itself: every ASCII byte a
// match can open with, in either case, must be listed.
func TestFirstBytesOfPatterns(t *testing.T) {
	for _, c := range []struct {
		re     *regexp.Regexp
		firsts string
	}{{contactFirst, contactFirsts}, {captionStart, captionFirsts}, {moreNewsLine, moreNewsFirsts}} {
		re, err := syntax.Parse(c.re.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := syntax.Compile(re.Simplify())
		if err != nil {
			t.Fatal(err)
		}
		for b := rune(0); b < utf8.RuneSelf; b++ {
			if opensWith(prog, uint32(prog.Start), b, map[uint32]bool{}) && !mayStartWith(string(b), c.firsts) {
				t.Errorf("%.40s…: a match can open with %q, not in %q", c.re, b, c.firsts)
			}
		}
		// And the test lets through what the pattern matches.
		for _, p := range []string{"Contact Jane Doe at x", "photo: AP", "[Image: NASA]", "Figure 2: x", "Click here for more news",
			"For more news, click here", "ſchaubild 3: x", "E-mail Jane Doe at x"} {
			if c.re.MatchString(p) && !mayStartWith(p, c.firsts) {
				t.Errorf("mayStartWith(%q, %q) = false, the pattern matches", p, c.firsts)
			}
		}
	}
}

// opensWith reports whether the program, from instruction pc, can match
// the rune r first. It errs towards true on empty-width assertions.
func opensWith(prog *syntax.Prog, pc uint32, r rune, seen map[uint32]bool) bool {
	if seen[pc] {
		return false
	}
	seen[pc] = true
	switch inst := prog.Inst[pc]; inst.Op {
	case syntax.InstAlt, syntax.InstAltMatch:
		return opensWith(prog, inst.Out, r, seen) || opensWith(prog, inst.Arg, r, seen)
	case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
		return opensWith(prog, inst.Out, r, seen)
	case syntax.InstMatch:
		return true
	case syntax.InstFail:
		return false
	default:
		return inst.MatchRune(r)
	}
}
