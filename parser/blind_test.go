package parser

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// blindCase is one page of testdata/blind: written by a helper who never read
// the paywall rules, given only the definitions of the four kinds, so its
// score is the parser's accuracy on pages it was not tuned on.
type blindCase struct {
	Kind           string   `json:"kind"`
	Truncated      bool     `json:"truncated"`
	Title          string   `json:"title"`
	MustContain    []string `json:"must_contain"`
	MustNotContain []string `json:"must_not_contain"`
}

// blindScore is what TestBlindPaywallPages measures.
type blindScore struct {
	pages, kindRight, truncRight, freeFlagged, missing, leaked int
	failures                                                   []string
}

func scoreBlind(t *testing.T, dir string) blindScore {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no blind pages in testdata/%s: %v", dir, err)
	}
	p := New(Options{})
	var s blindScore
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c blindCase
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		page, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".html")
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(strings.TrimSuffix(f, ".json"))
		s.pages++
		a, err := p.Parse("https://blind.example/"+name, page)
		if err != nil {
			s.failures = append(s.failures, name+": "+err.Error())
			continue
		}
		got := string(a.Paywall.Kind)
		if got == c.Kind {
			s.kindRight++
		} else {
			s.failures = append(s.failures, name+": kind "+got+", want "+c.Kind+" (signals "+strings.Join(a.Paywall.Signals, ",")+")")
			if c.Kind == "none" {
				s.freeFlagged++
			}
		}
		if a.Paywall.Truncated == c.Truncated {
			s.truncRight++
		} else {
			s.failures = append(s.failures, name+": truncated mismatch")
		}
		text := strings.Join(strings.Fields(a.Text), " ")
		for _, m := range c.MustContain {
			if !strings.Contains(text, strings.Join(strings.Fields(m), " ")) {
				s.missing++
				s.failures = append(s.failures, name+": missing "+abbrev(m))
			}
		}
		for _, m := range c.MustNotContain {
			if strings.Contains(text, strings.Join(strings.Fields(m), " ")) {
				s.leaked++
				s.failures = append(s.failures, name+": leaked "+abbrev(m))
			}
		}
	}
	return s
}

// log writes the score and each failure to the test's log.
func (s blindScore) log(t *testing.T, name string) {
	t.Helper()
	t.Logf("%s: %d, kind right %d (%.1f%%), truncated right %d, free pages flagged %d, story sentences missing %d, boilerplate leaked %d",
		name, s.pages, s.kindRight, 100*float64(s.kindRight)/float64(s.pages), s.truncRight, s.freeFlagged, s.missing, s.leaked)
	for _, f := range s.failures {
		t.Log("  " + f)
	}
}

// hold fails the test when the set scores worse than reached on any
// count: what a set reaches, no later change may lose.
func (s blindScore) hold(t *testing.T, name string, reached blindScore) {
	t.Helper()
	if s.kindRight < reached.kindRight || s.truncRight < reached.truncRight || s.freeFlagged > reached.freeFlagged ||
		s.missing > reached.missing || s.leaked > reached.leaked {
		t.Errorf("%s: kind right %d (held %d), truncated right %d (held %d), free flagged %d (held %d), missing %d (held %d), leaked %d (held %d): a change lost ground",
			name, s.kindRight, reached.kindRight, s.truncRight, reached.truncRight, s.freeFlagged, reached.freeFlagged,
			s.missing, reached.missing, s.leaked, reached.leaked)
	}
}

// requireAllRight fails the test unless every page of the set is right.
func (s blindScore) requireAllRight(t *testing.T, name string) {
	t.Helper()
	s.hold(t, name, blindScore{kindRight: s.pages, truncRight: s.pages})
}

func abbrev(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// TestBlindPaywallPages scores the blind pages and holds the goals of
// issue 13: at least 95% of kinds right, no free page flagged, every cut
// reported, no story sentence lost and no prompt or offer text left. Each
// set was scored once, on the parser as it stood, before any rule was
// changed for it (the unseen figures):
//   - pages 01-36: kind right 23 of 36 (63.9%), truncated right 30, free
//     pages flagged 1, missing 0, leaked 2 (parser of 5b9ece5);
//   - pages 37-72: kind right 29 of 36 (80.6%), truncated right 34, free
//     pages flagged 0, missing 0, leaked 4 (parser of 2be3348).
func TestBlindPaywallPages(t *testing.T) {
	s := scoreBlind(t, "blind")
	s.log(t, "blind pages")
	if s.kindRight*100 < s.pages*95 {
		t.Errorf("kind right on %d of %d blind pages, want at least 95%%", s.kindRight, s.pages)
	}
	if s.freeFlagged > 0 || s.truncRight != s.pages || s.missing > 0 || s.leaked > 0 {
		t.Errorf("free pages flagged %d, truncated wrong %d, story sentences missing %d, prompt text left %d: want all 0",
			s.freeFlagged, s.pages-s.truncRight, s.missing, s.leaked)
	}
}

// TestBlindPaywallPagesThirdSet scores testdata/blind3: 36 more pages
// written blind (pages 73-108: 27 of them not in English, decoys among
// them), scored once on the parser of df14d95 before any rule changed:
// kind right 28 of 36 (77.8%), truncated right 33, free pages flagged 2,
// story sentences missing 10, boilerplate leaked 2. The general fixes
// since (Japanese text counted in words of two characters where a prompt
// is measured, so a Japanese teaser is not a short prompt box; an AMP
// content-not-granted section keeps the teaser prose it holds) brought the
// missing sentences to 0. The kinds it still gets wrong are listed in the
// log; the test holds what is reached, so no change may lose ground, and
// asks the goal of 95% of TestBlindPaywallPages once it is met.
func TestBlindPaywallPagesThirdSet(t *testing.T) {
	s := scoreBlind(t, "blind3")
	s.log(t, "blind pages (third set)")
	s.hold(t, "third blind set", blindScore{kindRight: 36, truncRight: 36}) // reached at this commit
}

// TestBlindPaywallPagesFourthSet scores testdata/blind4: 14 pages written
// blind (109-122; 10 not in English, Swedish, Czech, Korean and Turkish
// among them), scored once, on the parser that fixed the third set, before
// anything was changed for them: kind right 12 of 14 (85.7%), truncated
// right 13, free pages flagged 1, missing 0, leaked 0. Swedish
// registration wording ("läsa vidare", "skapa ett kostnadsfritt konto")
// and dropping bare Korean "구독하기" (a YouTube button's word, as bare
// "subscribe" is in English) brought it to 14 of 14, held here.
func TestBlindPaywallPagesFourthSet(t *testing.T) {
	s := scoreBlind(t, "blind4")
	s.log(t, "blind pages (fourth set)")
	s.requireAllRight(t, "fourth blind set")
}

// TestBlindPaywallPagesFifthSet scores testdata/blind5: 36 pages written
// blind by three writers at once (123-158: English publishers, twelve
// other languages one each, and decoys and hard cases), scored once, on
// the parser of 2f11f66, before anything was changed for them: kind right
// 28 of 36 (77.8%), truncated right 33, free pages flagged 0, missing 0,
// leaked 0. General rules since (the story's <article> is the one holding
// most of the text, so a live blog's box is the story's; AMP's offer beside
// a served content section is no cut; a locked page's "keep reading" layer
// ends its teaser; a story is measured in CJK words when judging a cut;
// Piano's per-article tags; Substack's "free or paid subscriber" widget;
// wording in Danish, Norwegian, Finnish, Greek, Russian, Chinese, Arabic
// and Hebrew) brought it to 36 of 36, held here.
func TestBlindPaywallPagesFifthSet(t *testing.T) {
	s := scoreBlind(t, "blind5")
	s.log(t, "blind pages (fifth set)")
	s.requireAllRight(t, "fifth blind set")
}

// TestBlindPaywallPagesSixthSet scores testdata/blind6: 36 pages written
// blind by three more writers (159-194: English publishers of six
// countries, twelve other languages one each, and tricky cases), scored
// once, on the parser of 30afdfe (the fifth set's rules), before anything
// was changed for them: kind right 30 of 36 (83.3%), truncated right 34,
// free pages flagged 0, missing 0, leaked 2. General rules since (a layer
// never holds the page's <main> or <article>, as Drupal's
// dialog-off-canvas wrapper does; a dismiss button's "No thanks, continue
// reading" says nothing is behind the prompt; a page's own config beside
// its paywall tool's code declaring the article premium or for members;
// a priced subscription offer in the side rail; a donation box named as
// one may hold a line of prose; a donation box after the story's article
// is the story's unless named as a footer; Ukrainian and Thai wording)
// brought it to 36 of 36, held here.
func TestBlindPaywallPagesSixthSet(t *testing.T) {
	s := scoreBlind(t, "blind6")
	s.log(t, "blind pages (sixth set)")
	s.requireAllRight(t, "sixth blind set")
}

// TestBlindPaywallPagesSeventhSet scores testdata/blind7: 36 pages written
// blind by three more writers (195-230: twelve kinds of English-language
// publisher, twelve other languages one each, and hard-to-judge pages),
// scored once, on the parser of 3bb9795 (the sixth set's rules), before
// anything was changed for them: kind right 29 of 36 (80.6%), truncated
// right 34, free pages flagged 0, missing 0, leaked 2. General rules since
// (a declared gated part served with more prose than a teaser is no cut;
// a wall drawn as a dialog right after the teaser's block is in the
// story's flow; sustaining memberships, "give now", Dutch "word lid",
// Turkish "destekçi ol", membership boxes named for members; Portuguese
// meter counts) brought it to 36 of 36, held here.
func TestBlindPaywallPagesSeventhSet(t *testing.T) {
	s := scoreBlind(t, "blind7")
	s.log(t, "blind pages (seventh set)")
	s.requireAllRight(t, "seventh blind set")
}

// TestBlindPaywallPagesEighthSet scores testdata/blind8: 36 pages written
// blind by three more writers (231-266: English publishers of nine
// countries, twelve other languages one each, Hindi among them, and
// unusual structures), scored once, on the parser of b33f2f9 (the seventh
// set's rules), before anything was changed for them: kind right 33 of 36
// (91.7%), truncated right 35, free pages flagged 0, missing 0, leaked 1.
// General rules since (a layout named for its rail that holds the page's
// main part is the page; Leaky Paywall, with its per-post "metered"
// config; Hindi wording and the rupee; Swedish "för att läsa hela"; a
// newsletter box with its field keeps its "Subscribe now") brought it to
// 36 of 36, held here.
func TestBlindPaywallPagesEighthSet(t *testing.T) {
	s := scoreBlind(t, "blind8")
	s.log(t, "blind pages (eighth set)")
	s.requireAllRight(t, "eighth blind set")
}

// TestBlindPaywallPagesNinthSet scores testdata/blind9: 36 pages written
// blind by three more writers (267-302: twelve kinds of English-language
// site a data desk crawls, twelve other languages one each, and edge
// cases), scored once, on the parser of 6464517 (the eighth set's rules),
// before anything was changed for them: kind right 29 of 36 (80.6%),
// truncated right 33, free pages flagged 0, missing 0, leaked 0. General
// rules since (a box class-named "paywall" is a prompt, not a declaration,
// as "sub-wall" already was; a priced membership ask listing a newsletter
// among its perks; "create a free … account"; "join … for $5"; Poool's
// data-poool on the article body; an empty fade between the teaser and a
// layer; "access to this article"; a declared teaser that stops
// mid-sentence under a wall drawn over the page) brought it to 36 of 36,
// held here.
func TestBlindPaywallPagesNinthSet(t *testing.T) {
	s := scoreBlind(t, "blind9")
	s.log(t, "blind pages (ninth set)")
	s.requireAllRight(t, "ninth blind set")
}

// TestBlindPaywallPagesTenthSet scores testdata/blind10: 36 pages written
// blind by three more writers (303-338: twelve kinds of English-language
// publisher that is not a general newspaper, twelve other languages one
// each, and pages that test judgement), scored once, on the parser of
// 1201f14 (the ninth set's rules), before anything was changed for them:
// kind right 31 of 36 (86.1%), truncated right 35, free pages flagged 0,
// missing 0, leaked 2. General rules since (AMP's not-granted offer
// longer than a prompt is the wall itself; "a free … account" by any
// name; French "payez ce que vous voulez" and "je soutiens"; an offer in
// the article's own footer; Portuguese registration meters) brought it to
// 36 of 36, held here.
func TestBlindPaywallPagesTenthSet(t *testing.T) {
	s := scoreBlind(t, "blind10")
	s.log(t, "blind pages (tenth set)")
	s.requireAllRight(t, "tenth blind set")
}

// TestBlindPaywallPagesEleventhSet scores testdata/blind11: 36 pages
// written blind by three more writers (339-374: English news sites of
// twelve kinds, twelve other languages one each, Romanian among them, and
// tricky cases), scored once, on the parser of 7cbcad5 (the tenth set's
// rules), before anything was changed for them: kind right 31 of 36
// (86.1%), truncated right 33, free pages flagged 0, missing 0, leaked 1.
// General rules since (Romanian wording; a Korean support box's "free to
// read" is no meter, its 후원 an appeal; a meter's count in the site's
// header bar; "log in with your account to continue") brought it to 35 of
// 36, and the last, 342 (a modal appended over a complete 125-word teaser,
// whose theme's own paywall settings say "locked": "1"), came right with
// the thirteenth set's rules: a page's own wall configuration declares the
// article. All 36 are held.
func TestBlindPaywallPagesEleventhSet(t *testing.T) {
	s := scoreBlind(t, "blind11")
	s.log(t, "blind pages (eleventh set)")
	s.requireAllRight(t, "eleventh blind set")
}

// TestBlindPaywallPagesTwelfthSet scores testdata/blind12: 36 pages
// written blind by three more writers (375-410: tech and privacy
// newsrooms in English, twelve other languages one each, and cases that
// test judgement), scored once, on the parser of 01b5a1d (the eleventh
// set's rules), before anything was changed for them: kind right 32 of 36
// (88.9%), truncated right 34, free pages flagged 1, missing 0, leaked 1.
// General rules since (reserved-for and already-a phrases with a
// product's name inside; an empty fade at any depth before a layer;
// Turkish "Abone Ol" alone is a newsletter's button) brought it to 35 of
// 36. Left: 407, whose only marks are Piano's script and a story
// container class-named "paywall-content" (a class name is no
// declaration here). A forum's "Um zu posten, melden Sie sich an" line,
// kept in 387's text, went with the fourteenth set's rules: the
// comments' login line is no story, link or not. The test holds what is
// reached.
func TestBlindPaywallPagesTwelfthSet(t *testing.T) {
	s := scoreBlind(t, "blind12")
	s.log(t, "blind pages (twelfth set)")
	s.hold(t, "twelfth blind set", blindScore{kindRight: 35, truncRight: 36}) // reached at this commit
}

// TestBlindPaywallPagesThirteenthSet scores testdata/blind13: 36 pages
// written blind by three more writers (411-446: English news sites of
// twelve kinds, twelve other languages one each, Hungarian among them, and
// judgement cases), scored once, on the parser of e16e4cd (the twelfth
// set's rules), before anything was changed for them: kind right 32 of 36
// (88.9%), truncated right 35, free pages flagged 0, missing 0, leaked 3.
// Hungarian appeals and Italian meter counts brought it to 34 of 36, and
// two rules after it to 36: a page's own wall configuration with no tool
// named, such as an analytics data layer's "paywall": "metered" (443),
// declares the article; and on a page declared locked a subscription
// layer ends the teaser wherever it is drawn (419, a modal outside
// <main>). All 36 are held.
func TestBlindPaywallPagesThirteenthSet(t *testing.T) {
	s := scoreBlind(t, "blind13")
	s.log(t, "blind pages (thirteenth set)")
	s.requireAllRight(t, "thirteenth blind set")
}

// TestBlindPaywallPagesFourteenthSet scores testdata/blind14: 36 pages
// written blind by three more writers (447-482: English news sites of
// twelve kinds, twenty-four other languages one page each, Vietnamese,
// Indonesian, Bulgarian, Croatian and Malay among them, and decoys),
// scored once, on the parser of 318efd3 (the thirteenth set's rules),
// before anything was changed for them: kind right 32 of 36 (88.9%),
// truncated right 35, free pages flagged 0, missing 0, leaked 2. General
// rules since (Hebrew's plene "מינוי" and the shekel; Hindi's free
// registration; a newsroom's /support/ page is a call to action; on a
// locked page a layer covers the teaser wherever its markup stands)
// brought it to 36 of 36, held here.
func TestBlindPaywallPagesFourteenthSet(t *testing.T) {
	s := scoreBlind(t, "blind14")
	s.log(t, "blind pages (fourteenth set)")
	s.requireAllRight(t, "fourteenth blind set")
}

// TestBlindPaywallPagesFifteenthSet scores testdata/blind15: 36 pages
// written blind by three more writers (483-518: English publishers of
// eight countries and kinds, twenty-four other languages one page each,
// Slovak, Slovenian, Estonian and Lithuanian among them, and decoys),
// scored once, on the parser of b068e8f (the fourteenth set's rules and
// the dev pages' since), before anything was changed for them: kind right
// 31 of 36 (86.1%), truncated right 34, free pages flagged 0, missing 0,
// leaked 0. General rules since (Traditional Chinese and Slovenian
// wording; Piano's zone named premium; a layer saying the story goes on,
// over a teaser that ends under an empty fade; a supporter ask in Ghost's
// upgrade box is an appeal) brought it to 36 of 36, held here.
func TestBlindPaywallPagesFifteenthSet(t *testing.T) {
	s := scoreBlind(t, "blind15")
	s.log(t, "blind pages (fifteenth set)")
	s.requireAllRight(t, "fifteenth blind set")
}

// TestBlindPaywallPagesSixteenthSet scores testdata/blind16: 36 pages
// written blind by three more writers on themes (519-554: big publishers'
// and platforms' markup habits, pages as a scraper receives them, the
// hardest honest cases), scored once, on the parser of c98b156 (the
// fifteenth set's rules), before anything was changed for them: kind
// right 32 of 36 (88.9%), truncated right 34, free pages flagged 0,
// missing 1, leaked 2. General rules since (on a metered tier, a prompt
// after the text that does not say the story goes on is a nag, not a
// wall; a Chinese or Japanese last line of sixteen characters is a
// sentence; Steady's cut element; "join to back" a creator; a blog's
// pagination is chrome) brought it to 36 of 36. Left: a gallery's
// captions, which 550's writer counts as its story and the parser drops as
// captions, and a review's facts box (539) that its writer counts as
// chrome. The test holds what is reached.
func TestBlindPaywallPagesSixteenthSet(t *testing.T) {
	s := scoreBlind(t, "blind16")
	s.log(t, "blind pages (sixteenth set)")
	s.hold(t, "sixteenth blind set", blindScore{kindRight: 36, truncRight: 36, missing: 1, leaked: 1}) // reached at this commit
}

// TestBlindPaywallPagesSeventeenthSet scores testdata/blind17: 36 pages
// written blind by three more writers (555-590: English publishers of four
// countries with eight languages whose wording was new and untried; real
// paywall tools' and CMSs' markup habits; cases of judgement), scored
// once, on the parser of f2e96e2 (the sixteenth set's rules and the new
// languages' wording), before anything was changed for them: kind right
// 31 of 36 (86.1%), truncated right 34, free pages flagged 0, missing 3,
// leaked 2. General rules since (the zero-width non-joiner is Persian
// spelling, kept; Persian meter counts; a gated part's hidden, blurred
// filler is not served; Vietnamese free accounts and newsletters; Catalan
// memberships) brought it to 35 of 36. Left: 584, whose prompts sit in a
// figure caption and a pull quote with no call to action, which the rules
// read as the story's own words; and a review's product price (575) its
// writer counts as chrome. The test holds what is reached.
func TestBlindPaywallPagesSeventeenthSet(t *testing.T) {
	s := scoreBlind(t, "blind17")
	s.log(t, "blind pages (seventeenth set)")
	s.hold(t, "seventeenth blind set", blindScore{kindRight: 35, truncRight: 36, leaked: 2}) // reached at this commit
}

// TestBlindPaywallPagesEighteenthSet scores testdata/blind18: 36 pages
// written blind by three more writers (591-626: English publishers of six
// kinds and six other languages; machine-readable declarations, varied and
// imperfect; soft prompts and decoys of every shape), scored once, on the
// parser of 0c474a3 (the seventeenth set's rules), before anything was
// changed for them: kind right 32 of 36 (88.9%), truncated right 35, free
// pages flagged 0, missing 0, leaked 2. One writer saw three commit
// subjects before writing (its README says so). General rules since
// (Spanish, Swedish, Czech and Slovak appeals; an appeal in a box named as
// the publisher's wall may hold a line of prose; a Korean "two months
// free" offer is no meter count; Argentine registration walls) brought it
// to 36 of 36, held here.
func TestBlindPaywallPagesEighteenthSet(t *testing.T) {
	s := scoreBlind(t, "blind18")
	s.log(t, "blind pages (eighteenth set)")
	s.requireAllRight(t, "eighteenth blind set")
}

// TestBlindPaywallPagesNineteenthSet scores testdata/blind19: 36 pages
// written blind by three more writers (627-662: English publishers of
// twelve kinds and twenty-four other languages), scored once, on the
// parser of 42d357f (the eighteenth set's rules), before anything was
// changed for them: kind right 31 of 36 (86.1%), truncated right 34, free
// pages flagged 0, missing 0, leaked 2. General rules since (Chinese
// "免費閱讀" alone is no meter count; French buttons and donation boxes;
// Romanian supporters; a layer saying the story goes on stops it on a
// page that names its gated part; camel-cased author bios are chrome)
// brought it to 36 of 36. Left: a review's product table (630) its writer
// counts as chrome. The test holds what is reached.
func TestBlindPaywallPagesNineteenthSet(t *testing.T) {
	s := scoreBlind(t, "blind19")
	s.log(t, "blind pages (nineteenth set)")
	s.hold(t, "nineteenth blind set", blindScore{kindRight: 36, truncRight: 36, leaked: 2}) // reached at this commit
}

// TestBlindPaywallPagesTwentiethSet scores testdata/blind20: 34 pages
// written blind by three more writers (663-696: regional publishers,
// newsletters and membership platforms, national publishers' markup, in
// sixteen languages), scored once, on the parser of f98389f (the
// nineteenth set's rules), before anything was changed for them: kind
// right 28 of 34 (82.4%), truncated right 33, free pages flagged 0,
// missing 0, leaked 5. General rules since (German lock lines naming the
// product; Taiwanese, Spanish and English patron and donation asks;
// Polish, Dutch, Nordic and Italian sign-up words; a sign-up box named as
// an upsell is a prompt; a priced offer in the header bar is a banner)
// brought it to 33 of 34. Left: an app-download box (677) its writer calls
// soft, where the definitions ask for a subscription, registration or
// donation. The test holds what is reached.
func TestBlindPaywallPagesTwentiethSet(t *testing.T) {
	s := scoreBlind(t, "blind20")
	s.log(t, "blind pages (twentieth set)")
	s.hold(t, "twentieth blind set", blindScore{kindRight: 33, truncRight: 34}) // reached at this commit
}
