package parser

import (
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// The fast paths of the hot helpers must answer exactly as the plain code
// they replace: these tests hold each against its reference on generated
// strings and on every element of the fixture pages.

// pieces are the runes and words the generated strings are made of: white
// space of every kind, the invisible runes clean drops and the joiners it
// keeps, the runes
// normalise folds, the two runes strings.ToLower turns into ASCII, an
// invalid byte, and words of the phrase lists.
var pieces = []string{" ", "  ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u202f", "\u2003", "\u200b", "\u2060", "\u00ad", "\ufeff", "\u200c", "\u200d",
	"’", "‘", "–", "—", "\u0130", "\u212a", "\xff", "\uFFFD", "É", "ß", "a", "B", ",", "=", "-", "_", "3", "12",
	"Subscribe", "now", "free", "articles", "left", "read", "3", "of", "10", "Donate", "support", "us", "become", "abo", "log in", "login", "$", "€5", "eur", "cont", "premium", "konto",
	"a", "member", "Kostenlose", "Artikel", "il", "vous", "reste", "te", "quedan", "tp-", "Paywall", "abo", "cta",
	"tinypass", "window.tp", "substa\u212acdn", "Piano", "meter", "offer", "rest", "of", "the", "story"}

func randomText(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(24) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

func TestHotHelpersMatchReferences(t *testing.T) {
	for _, list := range [][]string{askStems, continuePhrases, subscribePhrases, registerPhrases, signupWords, paidPhrases, subscriptionStemList} {
		for _, w := range list {
			for _, s := range []string{w, "a " + w + " b", w + "s", "x" + w} {
				if got, want := accessWorded(s), accessWordsReference.MatchString(s); got != want {
					t.Fatalf("accessWorded(%q) = %v, want %v", s, got, want)
				}
			}
		}
	}
	normaliser := strings.NewReplacer("’", "'", "‘", "'", "\u00a0", " ", "\u202f", " ", "–", "-", "—", "-")
	invisible := strings.NewReplacer("\u200b", "", "\u2060", "", "\ufeff", "", "\u00ad", "")
	lists := [][]string{askStems, continuePhrases, subscribePhrases, wallStemList}
	var sets, folded []*literals
	for _, words := range lists {
		sets = append(sets, newLiterals(words))
		folded = append(folded, newFoldLiterals(words))
	}
	marks := []string{"window.tp ", "tp.push(", "substackcdn", "poool"}
	markSet := newLiterals(marks)
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		s := randomText(r)
		if got, want := normalise(s), strings.Join(strings.Fields(normaliser.Replace(strings.ToLower(s))), " "); got != want {
			t.Fatalf("normalise(%q) = %q, want %q", s, got, want)
		}
		if got, want := clean(s), cleanReference(invisible.Replace(s)); got != want {
			t.Fatalf("clean(%q) = %q, want %q", s, got, want)
		}
		if got, want := wordCount(s), len(strings.Fields(s)); got != want {
			t.Fatalf("wordCount(%q) = %d, want %d", s, got, want)
		}
		low := strings.ToLower(s)
		if got, want := accessWorded(low), accessWordsReference.MatchString(low); got != want {
			t.Fatalf("accessWorded(%q) = %v, want %v", low, got, want)
		}
		for i, words := range lists {
			if got, want := sets[i].in(s), containsAny(s, words); got != want {
				t.Fatalf("literals.in(%q) = %v, want %v", s, got, want)
			}
			if got, want := folded[i].in(s), containsAny(low, words); got != want && !lowersToASCII(s) {
				t.Fatalf("folded literals.in(%q) = %v, want %v", s, got, want)
			}
		}
		s2 := randomText(r)
		if got, want := markSet.inJoined(s, s2), containsAny(s+" "+s2, marks); got != want {
			t.Fatalf("inJoined(%q, %q) = %v, want %v", s, s2, got, want)
		}
		for _, rs := range []struct {
			split stemRules
			whole *regexp.Regexp
		}{{meterWording, meterReference}, {appealWords, appealReference}, {promptHint.words, promptHintReference}} {
			n := normalise(s)
			if got, want := rs.split.match(n), rs.whole.MatchString(n); got != want && (rs.whole != appealReference || containsAny(n, appealStems)) {
				t.Fatalf("stemRules.match(%q) = %v, want %v", n, got, want)
			}
		}
	}
}

// The expressions stemRules split, whole.
var (
	meterReference = regexp.MustCompile(
		`\b(?:\d+|one|two|three|four|five|no|all|all your|your)\s+(?:more\s+)?free\s+(?:articles?|stories|story|reads?|pieces?|views?)\b|` +
			`free (?:articles?|stories|story|reads?) (?:left|remaining|this month|per month|a month)|` +
			`(?:last|final) free (?:article|story|read)|free (?:article|story) limit|` +
			`(?:reached|hit|used up|used) (?:your|the|all (?:of )?your) (?:\w+ ){0,2}(?:limit|free articles?)|` +
			`(?:read|viewed|used) \d+ (?:of|out of) (?:your )?\d+ (?:free )?(?:articles?|stories)|` +
			`(?:kostenlose|freie|gratis)[nrms]? (?:artikel|beiträge|texte)|gratis-?artikel|` +
			`noch (?:\d+|einen|ein|zwei|drei)(?: von \d+)? (?:kostenlose|freie|gratis)|` +
			`articles? (?:gratuits?|offerts?)|il vous reste (?:\d+|un|une|deux|trois) articles?|` +
			`(?:dernier|derniers) articles? (?:gratuits?|offerts?)|` +
			`(?:artículos?|noticias?|contenidos?|historias?) (?:gratis|gratuit[oa]s?)|` +
			`(?:te|le) quedan? (?:\d+|un|una|dos|tres) (?:artículos?|noticias?|contenidos?)|` +
			`has (?:leído|consumido|agotado) (?:\d+|tus|todos)|` +
			`articoli (?:gratuiti|gratis)|(?:artigos|matérias|notícias) (?:gratuit[oa]s|grátis|gratis)|` +
			`(?:darmow|bezpłatn)(?:ych|e|y|ego) (?:artykuł|tekst)|(?:artykuł|tekst)(?:ów|y) (?:darmow|bezpłatn)|` +
			`przeczytał(?:eś|aś|eś\(aś\))? \d+ (?:z|na) \d+|無料(?:記事|で読める記事)|残り\d+本`)
	appealReference = regexp.MustCompile(`\bdonate\b|\bdonating\b|(?:a|one-off|monthly|your) donation|\bdonations?\b (?:today|now)|` +
		`make a contribution|contribute (?:today|now)|\bchip in\b|\bspenden sie\b|jetzt spenden|\bspende\b|` +
		`faites un don|faire un don|\bun don\b|\bdona\b|haz una donación|donación|donativo|` +
		`\bsupport (?:us|our|independent|local)\b|` +
		`wesprzyj (?:nas|naszą|nasze|niezależn)|wspieraj (?:nas|niezależn)|wpłać|darowizn|(?:każda|twoja|regularna|jednorazowa) wpłat|` +
		`\bdoneer\b|doneer nu|steun (?:ons|onze|de redactie|onafhankelijke)|` +
		`sostienici|sostieni (?:il|la|l'|questo|questa|un)|fai una donazione|\buna donazione\b|` +
		`\bapoie\b|apoie o|faça uma doação|\bdoe agora\b|sua doação|寄付(?:する|をお願い)|ご支援|` +
		`unterstützen sie (?:uns|unsere)|unterstütze (?:uns|unsere)|` +
		`soutenez|\bapóyanos\b|apoya (?:nuestro|el periodismo)|become a member|become a supporter|mitglied werden|` +
		`werde mitglied|werden sie mitglied|devenir membre|devenez membre|hazte socio|hazte miembro`)
	promptHintReference = regexp.MustCompile(`paywall|subscri|regwall|meter|offer|(?:^|[^a-z])cta|abo-|(?:^|[^a-z])abo(?:$|[^a-z])`)
)

// TestStemRulesOnPhrases holds the split expressions against the whole
// ones on texts made to match each of their parts.
func TestStemRulesOnPhrases(t *testing.T) {
	texts := []string{"you have 3 free articles left", "you have read 3 of 10 articles", "you've used 2 of your 5 free stories",
		"you reached your monthly limit", "this is your last free story", "noch 2 kostenlose artikel", "gratisartikel",
		"il vous reste 2 articles", "derniers articles offerts", "te quedan 2 artículos", "has leído tus", "noticias gratuitas",
		"please donate today", "a donation", "chip in", "spenden sie", "faites un don", "dona", "support us", "become a supporter",
		"unterstütze uns", "soutenez", "apóyanos", "dona apóyanos", "become a member", "werde mitglied", "devenez membre", "hazte socio",
		"przeczytałeś 2 z 5 darmowych artykułów", "bezpłatne teksty", "無料記事は残り3本", "wesprzyj nas", "wpłać", "ご支援ください",
		"articoli gratuiti", "notícias grátis", "artigos gratuitos", "twoja wpłata", "doneer nu", "steun onze journalistiek",
		"sostienici", "fai una donazione", "apoie o jornalismo", "doe agora", "sua doação", "xdoneer", "apoiem",
		"xdonate", "donated", "supporters", "tp-modal", "x-tp-", "abo", "abo-box", "cta-button", "xcta", "tabor"}
	for _, s := range texts {
		if meterWording.match(s) != meterReference.MatchString(s) {
			t.Errorf("meterWording on %q: split %v, whole %v", s, meterWording.match(s), meterReference.MatchString(s))
		}
		if containsAny(s, appealStems) && appealWords.match(s) != appealReference.MatchString(s) {
			t.Errorf("appealWords on %q: split %v, whole %v", s, appealWords.match(s), appealReference.MatchString(s))
		}
		if promptHint.words.match(s) != promptHintReference.MatchString(s) {
			t.Errorf("promptHint on %q: split %v, whole %v", s, promptHint.words.match(s), promptHintReference.MatchString(s))
		}
	}
}

// TestWallStemsSpanNoParts checks what wallNamed relies on: no stem holds
// a space or "=", the separators of markupNames' parts.
func TestWallStemsSpanNoParts(t *testing.T) {
	for _, s := range wallStemList {
		if strings.ContainsAny(s, " =") {
			t.Errorf("wall stem %q holds a separator", s)
		}
		if !wallStems.in(s) {
			t.Errorf("wallStems lacks %q", s)
		}
	}
}

// TestTreeHelpersMatchReferences holds textOf, the text statistics and the
// wrapper shortcut of the prompt finder against plain walks on every
// element of the fixture pages.
func TestTreeHelpersMatchReferences(t *testing.T) {
	names, roots := fixtureTrees(t)
	for k, root := range roots {
		f := names[k]
		st := newTextStats(root)
		walk(root, func(n *html.Node) bool {
			if n.Type != html.ElementNode {
				return true
			}
			var b strings.Builder
			referenceText(&b, n)
			if got, want := textOf(n), clean(b.String()); got != want {
				t.Fatalf("%s: textOf(<%s>) = %q, want %q", f, n.Data, got, want)
			}
			if noText[n.DataAtom] {
				return true
			}
			for _, limit := range []int{0, 25, 60, 120} {
				if st.moreWordsThan(n, limit) != moreWordsThan(n, limit) {
					t.Fatalf("%s: moreWordsThan(<%s>, %d) differs", f, n.Data, limit)
				}
			}
			if st.ownLinkDensity(n) != linkDensity(n) {
				t.Fatalf("%s: ownLinkDensity(<%s>) = %v, want %v", f, n.Data, st.ownLinkDensity(n), linkDensity(n))
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && !noText[c.DataAtom] && st.sameText(c, n) && textOf(c) != textOf(n) {
					t.Fatalf("%s: sameText(<%s>, <%s>) but the texts differ", f, c.Data, n.Data)
				}
			}
			return true
		})
	}
}

// referenceText is the text gathering textOf replaced.
func referenceText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if noText[n.DataAtom] {
			return
		}
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		b.WriteByte(' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		referenceText(b, c)
	}
	if block {
		b.WriteByte(' ')
	}
}

// TestLiteralsSkipMatchesContains holds the skipping scan of literals
// against strings.Contains on random words and texts over a small alphabet,
// where pairs repeat and windows overlap matches in every way.
func TestLiteralsSkipMatchesContains(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	word := func(n int, alphabet string) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 3000 {
		words := make([]string, 1+r.IntN(6))
		for i := range words {
			words[i] = word(2+r.IntN(6), "abc-")
		}
		set, folded := newLiterals(words), newFoldLiterals(words)
		for range 20 {
			s := word(r.IntN(30), "abcABC- ")
			if got, want := set.in(s), containsAny(s, words); got != want {
				t.Fatalf("literals%q.in(%q) = %v, want %v", words, s, got, want)
			}
			if got, want := folded.in(s), containsAny(strings.ToLower(s), words); got != want {
				t.Fatalf("fold literals%q.in(%q) = %v, want %v", words, s, got, want)
			}
		}
	}
}

// TestNameSetStemsChangeNothing holds nameSet.match with its quick test of
// stems against the same set without it, on hints made of its own words.
func TestNameSetStemsChangeNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, set := range []*nameSet{boilerNames, sideNames, menuNames, plainWallNames} {
		plain := *set
		plain.stems = nil
		parts := slices.Concat(slices.Collect(maps.Keys(set.words)), set.prefixes, set.phrases, []string{"x", "-", "_", " ", "top", "main", "Rail", "9"})
		for range 20000 {
			var b strings.Builder
			for range r.IntN(6) {
				b.WriteString(parts[r.IntN(len(parts))])
			}
			h := b.String()
			if got, want := set.match(h), plain.match(h); got != want {
				t.Fatalf("match(%q) = %v, want %v", h, got, want)
			}
		}
	}
}

// TestWallNamedMatchesMarkupNames holds wallNamed, which reads attributes
// as they are, against its definition on generated elements: the stems in
// markupNames(n), which lower-cases them.
func TestWallNamedMatchesMarkupNames(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	keys := []string{"class", "id", "role", "data-component", "data-type", "data-wall", "data-x", "href", "style"}
	for range 20000 {
		n := &html.Node{Type: html.ElementNode, Data: "div"}
		for range r.IntN(4) {
			val := randomText(r)
			if r.IntN(2) == 0 { // mostly ASCII, as real names are
				val = strings.Map(func(r rune) rune { return min(r, 'z') }, val)
			}
			if r.IntN(4) == 0 {
				val = strings.Repeat("x", 90+r.IntN(20)) + val
			}
			n.Attr = append(n.Attr, html.Attribute{Key: keys[r.IntN(len(keys))], Val: val})
		}
		if got, want := wallNamed(n), wallStems.in(markupNames(n)); got != want {
			t.Fatalf("wallNamed(%q) = %v, want %v", n.Attr, got, want)
		}
	}
}

// classifyReference is classifyNormalised as it was before askLists and
// stemRules read their lists in one pass: a pass of containsAny per list,
// the shorter stems of comment, consent, meter and appeal wording
// (widenedStems), each split expression's stems tested on their own.
func classifyReference(low string) (ask, bool) {
	if low == "" || !containsAny(low, askStems) && !containsAny(low, appealStems) && !containsAny(low, meterStems) {
		return noAsk, false
	}
	continues := containsAny(low, continuePhrases) && containsAny(dismissal.ReplaceAllString(low, " "), continuePhrases) ||
		reservedFor.MatchString(low)
	subscribe := containsAny(low, subscribePhrases) || alreadyA.MatchString(low)
	switch {
	case containsAny(low, []string{"comment", "kommentar", "comentar", "join the", "posten"}) && commentWords.MatchString(low):
		return commentsAsk, false
	case containsAny(low, []string{"cookie", "consent", "einwillig", "datenschutz", "privacy", "blocker", "adblock", "bloqueur"}) && consentWords.MatchString(low):
		return consentAsk, false
	case containsAny(low, eventStems) && eventTime.MatchString(low):
		return eventAsk, false
	case containsAny(low, meterStems) && stemRulesReference(widenedStems(meterWording, "free"), low):
		return meterAsk, continues
	case continues && (subscribe || accessWordsReference.MatchString(low)):
		return subscribeAsk, true
	case containsAny(low, paidPhrases) || containsAny(low, signupWords) && (subscribe || containsAny(low, subscriptionStemList)) && offerWording.MatchString(low):
		return subscribeAsk, continues
	case containsAny(low, joinStems) && joinWording.MatchString(low):
		return subscribeAsk, continues
	case containsAny(low, registerPhrases):
		return subscribeAsk, continues
	case containsAny(low, signupWords) && freeAccount.MatchString(low):
		return subscribeAsk, continues
	case containsAny(low, signupWords) && containsAny(low, appealStems) && priceWording.MatchString(low) &&
		stemRulesReference(widenedStems(appealWords, "support"), low):
		return appealAsk, false
	case containsAny(low, signupWords):
		return signupAsk, false
	case subscribe:
		return subscribeAsk, continues
	case containsAny(low, appealStems) && stemRulesReference(widenedStems(appealWords, "support"), low):
		return appealAsk, false
	}
	return noAsk, false
}

// widenedStems returns rs with the stems of its rules whose stems all
// begin with stem replaced by stem alone: the rule as it was before its
// stems were made longer.
func widenedStems(rs stemRules, stem string) stemRules {
	out := stemRules{rules: slices.Clone(rs.rules)}
	for i, r := range out.rules {
		if len(r.stems) > 0 && !slices.ContainsFunc(r.stems, func(s string) bool { return !strings.HasPrefix(s, stem) }) {
			out.rules[i].stems = []string{stem}
		}
	}
	return out
}

// stemRulesReference is rs.match, each rule's stems tested on their own.
func stemRulesReference(rs stemRules, s string) bool {
	for _, r := range rs.rules {
		if (len(r.stems) == 0 || containsAny(s, r.stems)) && r.re.MatchString(s) {
			return true
		}
	}
	return false
}

// TestClassifyMatchesReference holds classifyNormalised and the stemmed
// expressions, which read every list in one pass, against the plain
// passes, on generated texts, on every phrase of the lists and on the
// text of every element of the fixture pages.
func TestClassifyMatchesReference(t *testing.T) {
	check := func(where, s string) {
		t.Helper()
		low := normalise(s)
		ga, gc := classifyNormalised(low)
		wa, wc := classifyReference(low)
		if ga != wa || gc != wc {
			t.Fatalf("%s: classifyNormalised(%q) = %v, %v; want %v, %v", where, low, ga, gc, wa, wc)
		}
		for _, rs := range []stemRules{meterWording, appealWords, promptHint.words} {
			if got, want := rs.match(low), stemRulesReference(rs, low); got != want {
				t.Fatalf("%s: stemRules.match(%q) = %v, want %v", where, low, got, want)
			}
		}
	}
	r := rand.New(rand.NewPCG(11, 12))
	for range 5000 {
		check("generated", randomText(r))
	}
	for _, list := range [][]string{continuePhrases, subscribePhrases, commentStems, consentStems, meterStems, paidPhrases,
		joinStems, registerPhrases, signupWords, appealStems, askStems} {
		for _, w := range list {
			check("phrase", w)
			check("phrase", "you said "+w+" and "+list[r.IntN(len(list))])
		}
	}
	names, roots := fixtureTrees(t)
	for k, root := range roots {
		f := names[k]
		walk(root, func(n *html.Node) bool {
			if n.Type == html.ElementNode && !moreWordsThan(n, 2*maxConsentWords) {
				check(f, textOf(n))
			}
			return true
		})
	}
}

// TestLiteralsWhichMatchesContains holds literals.which, the tags of every
// list s holds, against strings.Contains, as TestLiteralsSkipMatchesContains
// holds in.
func TestLiteralsWhichMatchesContains(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	word := func(n int, alphabet string) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 3000 {
		lists := make([][]string, 1+r.IntN(5))
		for i := range lists {
			for range 1 + r.IntN(4) {
				lists[i] = append(lists[i], word(2+r.IntN(6), "abc-"))
			}
		}
		set, folded := newLiterals(lists...), newFoldLiterals(lists...)
		for range 20 {
			s := word(r.IntN(30), "abcABC- ")
			var want, wantFolded uint64
			for i, list := range lists {
				if containsAny(s, list) {
					want |= 1 << i
				}
				if containsAny(strings.ToLower(s), list) {
					wantFolded |= 1 << i
				}
			}
			if got := set.which(s); got != want {
				t.Fatalf("literals%q.which(%q) = %b, want %b", lists, s, got, want)
			}
			if got := folded.which(s); got != wantFolded {
				t.Fatalf("fold literals%q.which(%q) = %b, want %b", lists, s, got, wantFolded)
			}
		}
	}
}

// cleanReference is clean's plain reference, on a text whose invisible
// runes are gone: its words joined by single spaces, and each joiner kept
// only between two runes of a word. Invalid bytes are kept as they are.
func cleanReference(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		var kept strings.Builder
		for j := 0; j < len(w); {
			r, size := utf8.DecodeRuneInString(w[j:])
			next, _ := utf8.DecodeRuneInString(w[j+size:])
			if isJoiner(r) && (kept.Len() == 0 || j+size == len(w) || isJoiner(next)) {
				j += size
				continue
			}
			kept.WriteString(w[j : j+size])
			j += size
		}
		words[i] = kept.String()
	}
	return strings.Join(strings.Fields(strings.Join(words, " ")), " ")
}

// TestJoinersKeptInsideWords: the zero-width non-joiner and joiner are
// spelling inside a word (Persian "می‌شد", an emoji sequence), and nothing
// alone (a loading skeleton's placeholder).
func TestJoinersKeptInsideWords(t *testing.T) {
	for in, want := range map[string]string{
		"می\u200cشد":              "می\u200cشد",
		"🏃\u200d♀️ runs":          "🏃\u200d♀️ runs",
		"\u200c story \u200c":     "story",
		"word \u200cnext\u200c":   "word next",
		"a\u200b\u200cb \u200d\n": "a\u200cb",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// accessWordsReference is accessWorded as one expression, as it was.
var accessWordsReference = regexp.MustCompile(`subscri|abonn|\babo\b|\babo-|suscri|member|mitglied|membre|miembro|\bsocio|` +
	`regist|account|konto|einlogg|\bcompte\b|\bcuenta\b|log ?in\b|sign ?in\b|anmelden|connecter|connexion|inicia sesión|` +
	`trial|testen|\bessai\b|\bprueba\b|unlimited|unbegrenzt|illimité|ilimitado|sin límites|\bpremium\b|` +
	`prenumerat|subskryp|zaloguj|bez ograniczeń|nieograniczony|購読|会員|ログイン|` +
	`abbonat|abbonament|assinatura|assinante|onbeperkt|illimitat|inloggen|accedi|` +
	`prenumer|logga in|předplat|predplat|naročni|pretplat|registracij|registrácia|přihlás|hội viên|thuê bao|langgan|pelanggan|` +
	`абонам|абонат|претплат|abonē|abonent|tellija|tellimus|اشتراک|مشترک|áskrif|` +
	`구독|로그인|abone|giriş yap|abonnent|log ind|logg inn|tilaa|kirjaudu|` +
	`συνδρομ|σύνδεση|подписк|подписч|войти|订阅|訂閱|会员|會員|登录|登入|اشتر|تسجيل الدخول|מנוי|מינוי|התחבר|передплат|увійти|สมาชิก|เข้าสู่ระบบ|` +
	`सब्सक्राइब|सदस्यता|लॉग इन|रजिस्टर|abonam|autentific|\bcont\b|` +
	`[$€£¢₺₩₹₪]|\beuros?\b|\beur\b|\bchf\b|\bcents?\b|\bzł\b|\bkr\b|\bkč\b`)
