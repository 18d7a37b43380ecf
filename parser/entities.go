package parser

import (
	_ "embed"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsdesk/news"
)

// Entities are found by rules, without a model (none is available offline,
// and rules can be read and fixed):
//
//   - organisations: a small gazetteer of platforms and regulators
//     (entities_orgs.txt), and capitalised runs that end in a legal form or
//     an organisation word ("Acme Corp", "Brightwater Analytics",
//     "Data Protection Commission");
//   - people: capitalised runs of two or three words that come after a title
//     or role ("Judge", "co-founder"), next to a speech verb ("said",
//     "according to"), start with a common given name
//     (entities_names.txt), or whose last word is mentioned again on its own
//     ("Reed Hastings" ... "Hastings'"); the last rule is skipped for German,
//     which capitalises every noun;
//   - money: an amount with a currency sign or code before it or a currency
//     word after it ("$284 million", "€18 million", "£2.5bn", "1.2 billion
//     euros", "18 Millionen Euro").
//
// A capitalised word at the start of a sentence alone is never a name: it is
// how every sentence starts.

var (
	//go:embed entities_orgs.txt
	orgsFile string
	//go:embed entities_names.txt
	namesFile string

	knownOrgs   = wordSet(orgsFile, "\n")
	givenNames  = wordSet(namesFile, " \t\n")
	maxOrgWords = longestName(knownOrgs)
)

// maxEntities bounds the list on an article: the tail of a long list is
// noise, and events should stay small.
const maxEntities = 25

// maxOrgRun is the longest run named by its form ("European Data Protection
// Board"); longer ones are Title Case headings, not names.
const maxOrgRun = 5

// maxEntityText bounds the text scanned for entities, so a page with
// megabytes of text costs no more than a long story.
const maxEntityText = 200 << 10

// orgSuffixes end an organisation's name: legal forms and the words bodies
// name themselves with.
var orgSuffixes = wordSet(`Inc Corp Corporation Co Ltd Limited LLC LLP PLC Plc GmbH AG SA SAS SE NV BV AB ASA Oy SpA Srl
	Group Holdings Technologies Technology Analytics Systems Networks Labs Media Partners Capital Ventures Bank Software Security
	Commission Authority Agency Office Ministry Department Board Council Court Tribunal Parliament Foundation Institute Association Union University`, " \t\n")

// titles and roles before a run mark a person ("Judge Ana Lima", "co-founder
// Reed Hastings"). Compared lower-cased, without a trailing dot.
var personTitles = wordSet(`mr mrs ms dr prof sir dame judge justice senator sen rep representative president minister
	commissioner chancellor governor mayor ceo cfo cto founder co-founder chairman chairwoman chair spokesperson spokesman spokeswoman
	director executive member councillor manager chief officer editor coach owner captain inspector detective sergeant lawyer attorney analyst researcher professor plaintiff plaintiffs citizen citizens herr frau madame monsieur`, " \t\n")

// speechVerbs next to a run mark a person ("Lima said", "said Ana Lima").
var speechVerbs = wordSet(`said says told wrote added argued explained according sagte erklärte déclaré dijo`, " \t\n")

// leadingWords are capitalised at the start of a sentence but are not part
// of a name: "According", "Both Meta and Netflix".
var leadingWords = wordSet(`The A An In On At For But And Or As By If This That These Those It Its According Both However Moreover
	While When After Before With From Meanwhile Last Next Then Still Yet Also Although Because Since Under Over Why What How Who
	Der Die Das Ein Eine Le La Les Un Une El Los Las Il Lo Gli De Het Een`, " \t\n")

// notNames rule a run out as a person: calendar words and words that
// start headings and places more often than names.
var notNames = wordSet(`January February March April May June July August September October November December Monday Tuesday
	Wednesday Thursday Friday Saturday Sunday New North South East West United States Kingdom European Union National Federal
	Street Avenue Road Act Law Day Times Post News`, " \t\n")

type word struct {
	text       string // without a possessive or a trailing dot
	start, end int
	upper      bool // starts with an upper-case letter
	sentence   bool // first word of a sentence or paragraph
}

// entities returns the organisations, people and money amounts the article
// names, the most mentioned first. lang is the article's language.
func entities(title, text, lang string) []news.Entity {
	src := title + "\n\n" + text
	if len(src) > maxEntityText {
		src = strings.ToValidUTF8(src[:maxEntityText], "")
	}
	found := &entityCounts{index: map[string]int{}}
	for _, loc := range moneySpans(src) {
		found.add(normaliseMoney(src[loc[0]:loc[1]]), news.EntityMoney, loc[0])
	}
	words := splitWords(src)
	// A headline in Title Case is one long capitalised run: in it only
	// known organisations count.
	titleCase := isTitleCase(title)
	var lone map[string]bool
	mentionedAlone := func(surname string) bool {
		if lone == nil {
			lone = loneWords(words)
		}
		return lone[surname]
	}
	for _, r := range capitalRuns(words, src) {
		if titleCase && words[r[0]].start < len(title) {
			knownOrgsIn(words[r[0]:r[1]], found)
			continue
		}
		classifyRun(r, words, src, lang, mentionedAlone, found)
	}
	// A surname on its own counts as a mention of the person.
	for k, w := range words {
		if full, ok := found.surnameOf[w.text]; ok && alone(words, k) {
			found.add(full, news.EntityPerson, w.start)
		}
	}
	return found.list()
}

// capitalRuns returns the index ranges [i, j) of runs of capitalised words
// separated by single spaces.
func capitalRuns(words []word, src string) [][2]int {
	var runs [][2]int
	for i := 0; i < len(words); {
		if !words[i].upper {
			i++
			continue
		}
		j := i + 1
		for j < len(words) && words[j].upper && src[words[j-1].end:words[j].start] == " " && cleanJoin(src, words[j-1]) {
			j++
		}
		runs = append(runs, [2]int{i, j})
		i = j
	}
	return runs
}

// cleanJoin reports whether a run may continue after w: not after a
// possessive or a sentence end ("Netflix's Reed", "Meta. Netflix").
func cleanJoin(src string, w word) bool {
	raw := src[w.start:w.end]
	return raw == w.text
}

// classifyRun decides what the run of capitalised words r names.
// mentionedAlone reports whether a surname is mentioned on its own (see
// loneWords).
func classifyRun(r [2]int, words []word, src, lang string, mentionedAlone func(string) bool, found *entityCounts) {
	i, j := r[0], r[1]
	for i < j && leadingWords[words[i].text] {
		i++
	}
	// A title inside the run starts the name after it: "Digital Affairs
	// Minister Elena Harbourne", "Judge Ana Lima".
	titled := false
	for k := j - 1; k >= i; k-- {
		if personTitles[strings.ToLower(words[k].text)] {
			i, titled = k+1, true
			break
		}
	}
	if i == j {
		return
	}
	// So does a given name after other words: "Fraktionschef Martin Köhler".
	for k := i + 1; k < j-1; k++ {
		if givenNames[words[k].text] && !givenNames[words[i].text] && !knownOrgs[joinWords(words[i:j])] && !orgSuffixes[words[j-1].text] {
			i = k
			break
		}
	}
	name := joinWords(words[i:j])
	n := j - i
	// Known organisations: the whole run, or names inside it ("Both Meta",
	// "Facebook Watch").
	if knownOrgs[name] {
		found.add(name, news.EntityOrg, words[i].start)
		return
	}
	if n >= 2 && n <= maxOrgRun && orgSuffixes[words[j-1].text] {
		found.add(name, news.EntityOrg, words[i].start)
		return
	}
	if n >= 2 && n <= 3 && !anyIn(words[i:j], notNames) && !anyKnownOrg(words[i:j]) &&
		(titled || titleBefore(words, i) || speechNear(words, i, j, src) || givenNames[words[i].text] ||
			(lang != "de" && mentionedAlone(words[j-1].text))) {
		found.add(name, news.EntityPerson, words[i].start)
		found.surname(words[j-1].text, name)
		return
	}
	knownOrgsIn(words[i:j], found)
}

// knownOrgsIn counts the gazetteer's organisations named inside a run, the
// longest name first.
func knownOrgsIn(ws []word, found *entityCounts) {
	for k := 0; k < len(ws); k++ {
		for m := min(len(ws), k+maxOrgWords); m > k; m-- {
			if sub := joinWords(ws[k:m]); knownOrgs[sub] {
				found.add(sub, news.EntityOrg, ws[k].start)
				k = m - 1
				break
			}
		}
	}
}

// isTitleCase reports whether most words of a headline are capitalised.
func isTitleCase(title string) bool {
	ws := splitWords(title)
	upper := 0
	for _, w := range ws {
		if w.upper {
			upper++
		}
	}
	return len(ws) >= 3 && upper*3 >= len(ws)*2
}

func joinWords(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.text
	}
	return strings.Join(parts, " ")
}

func anyIn(ws []word, set map[string]bool) bool {
	return slices.ContainsFunc(ws, func(w word) bool { return set[w.text] })
}

func anyKnownOrg(ws []word) bool {
	return slices.ContainsFunc(ws, func(w word) bool { return knownOrgs[w.text] })
}

// titleBefore reports whether a title or role comes just before word i ("co-founder Reed Hastings", "plaintiffs Maximilian Klein").
func titleBefore(words []word, i int) bool {
	return i > 0 && personTitles[strings.ToLower(words[i-1].text)]
}

// speechNear reports whether a speech verb comes just after the run, or
// just before it ("Lima said", "said Ana Lima", "according to Ana Lima").
func speechNear(words []word, i, j int, src string) bool {
	if j < len(words) && speechVerbs[words[j].text] && !strings.ContainsAny(src[words[j-1].end:words[j].start], ".!?") {
		return true
	}
	for k := max(0, i-2); k < i; k++ {
		if speechVerbs[strings.ToLower(words[k].text)] && !strings.ContainsAny(src[words[k].end:words[i].start], ".!?") {
			return true
		}
	}
	return false
}

// loneWords are the texts of the capitalised words that stand on their
// own, not at a sentence start and not as part of a longer run: a surname
// among them is mentioned alone. Collected once per text, as asking the
// words for every run took time quadratic in the text's length.
func loneWords(words []word) map[string]bool {
	lone := map[string]bool{}
	for k, w := range words {
		if w.upper && !w.sentence && alone(words, k) {
			lone[w.text] = true
		}
	}
	return lone
}

// alone reports whether word k is capitalised between words that are not.
func alone(words []word, k int) bool {
	return (k == 0 || !words[k-1].upper) && (k+1 == len(words) || !words[k+1].upper)
}

// splitWords tokenises src, trimming possessives and trailing dots and
// marking sentence starts.
func splitWords(src string) []word {
	// Prose has a word in about six bytes: a word per five leaves room
	// enough to never grow the slice, which would copy it.
	out := make([]word, 0, len(src)/5+1)
	for i := 0; ; {
		start, end := nextWord(src, i)
		if start == len(src) {
			break
		}
		i = end
		raw := src[start:end]
		text := raw
		if raw != "" && !isASCIIAlnum(raw[len(raw)-1]) { // most words end in a letter: nothing to trim
			text = strings.TrimRight(raw, ".-'’&")
		}
		if text != "" && text[len(text)-1] == 's' {
			for _, poss := range []string{"'s", "’s"} {
				text = strings.TrimSuffix(text, poss)
			}
		}
		if text == "" {
			continue
		}
		if strings.Count(raw, ".") > 1 { // U.S., e.g.: keep the dots
			text = strings.TrimRight(raw, "'’")
		}
		r, _ := utf8.DecodeRuneInString(text)
		out = append(out, word{text: text, start: start, end: end, upper: unicode.IsUpper(r), sentence: sentenceStart(src, start)})
	}
	return out
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// sentenceStart reports whether the word at i starts a sentence: only
// quotes, brackets and spaces lie between it and a full stop, a line break
// or the start of the text.
func sentenceStart(src string, i int) bool {
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(src[:i])
		switch {
		case r == '.' || r == '!' || r == '?' || r == '\n':
			return true
		case unicode.IsSpace(r) || strings.ContainsRune(`"“‘'(«„`, r):
			i -= size
		default:
			return false
		}
	}
	return true
}

// normaliseMoney collapses white space and lower-cases the multiplier
// ("€18 Million" in a headline is "€18 million" in the text).
func normaliseMoney(s string) string {
	fields := strings.Fields(s)
	for i, f := range fields {
		switch strings.ToLower(f) {
		case "million", "billion", "trillion":
			fields[i] = strings.ToLower(f)
		}
	}
	return strings.Join(fields, " ")
}

// entityCounts collects entities in order of first mention.
type entityCounts struct {
	items []entityAt
	index map[string]int
	// surnameOf maps a person's surname to their full name.
	surnameOf map[string]string
}

type entityAt struct {
	news.Entity
	first int
}

func (c *entityCounts) add(name string, kind news.EntityKind, at int) {
	if i, ok := c.index[name]; ok {
		c.items[i].Count++
		return
	}
	c.index[name] = len(c.items)
	c.items = append(c.items, entityAt{news.Entity{Name: name, Kind: kind, Count: 1}, at})
}

func (c *entityCounts) surname(surname, full string) {
	if c.surnameOf == nil {
		c.surnameOf = map[string]string{}
	}
	c.surnameOf[surname] = full
}

// list returns the entities, the most mentioned first, then by first
// mention; at most maxEntities.
func (c *entityCounts) list() []news.Entity {
	slices.SortStableFunc(c.items, func(a, b entityAt) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return a.first - b.first
	})
	var out []news.Entity
	for _, e := range c.items[:min(len(c.items), maxEntities)] {
		out = append(out, e.Entity)
	}
	return out
}

// wordSet reads a list separated by any of seps; lines starting with # are
// comments.
func wordSet(list, seps string) map[string]bool {
	set := map[string]bool{}
	for line := range strings.SplitSeq(list, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, w := range strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
			if w = strings.TrimSpace(w); w != "" {
				set[w] = true
			}
		}
	}
	return set
}

func longestName(set map[string]bool) int {
	n := 1
	for k := range set {
		n = max(n, len(strings.Fields(k)))
	}
	return n
}
