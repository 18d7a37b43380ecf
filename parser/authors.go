package parser

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// authors returns the story's authors from the first source that names any:
// JSON-LD author, then author meta tags, then microdata and rel=author
// links, then byline elements. Never nil.
func authors(doc *goquery.Document, pn *pageNodes, m metaTags, ld *linkedData) []string {
	sources := []func() []string{
		func() []string { return ld.names("author") },
		func() []string { return metaAll(m, "author", "dc.creator", "parsely-author", "sailthru.author") },
		func() []string { return metaAll(m, "article:author") },
		func() []string {
			return bylineTexts(doc.FindNodes(pn.itemprops...).Filter("[itemprop=author] [itemprop=name], [itemprop=author]"))
		},
		func() []string { return bylineTexts(doc.FindNodes(pn.relLinks...).Filter("a[rel~=author]")) },
		func() []string { return bylineElements(doc) },
	}
	for _, source := range sources {
		if names := cleanAuthors(source()...); len(names) > 0 {
			return names
		}
	}
	return []string{}
}

func metaAll(m metaTags, keys ...string) []string {
	var out []string
	for _, k := range keys {
		out = append(out, m[k]...)
	}
	return out
}

// bylineTexts returns the texts (or content attributes) of the selected
// elements outside the page's header, footer and comments.
func bylineTexts(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		if hasAncestor(n, pageChrome) || hasAncestor(n, isRecirculation) {
			return
		}
		if c, ok := s.Attr("content"); ok {
			out = append(out, c)
		} else if s.Find("[itemprop=name]").Length() == 0 {
			out = append(out, textOf(n))
		}
	})
	return out
}

var bylineHint = newLiterals([]string{"byline", "author"})

// byName is the word "by" alone in a name: "by", "post-by".
var byName = newNameSet([]string{"by"}, nil, nil)

// isBylineNamed reports whether hint h names a byline.
func isBylineNamed(h string) bool { return bylineHint.in(h) || byName.match(h) }

// bylineElements returns the text of the first short element named like a
// byline ("byline", "author"): "By Jane Doe · March 3, 2024".
func bylineElements(doc *goquery.Document) []string {
	var out []string
	walk(doc.Get(0), func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		h := hint(n)
		if pageChromeNamed(n, h) || recirculationHint.in(h) {
			return false
		}
		if isBylineNamed(h) {
			if t := textOf(n); t != "" && wordCount(t) <= 20 {
				out = append(out, t)
				return false
			}
		}
		return len(out) == 0
	})
	return out
}

var recirculationHint = newLiterals([]string{"related", "recirc", "more-", "popular", "trending", "recommend", "outbrain", "taboola"})

// isRecirculation reports whether n lists other stories: their bylines and
// dates are not this story's.
func isRecirculation(n *html.Node) bool { return recirculationHint.in(hint(n)) }

var (
	bylinePrefix  = regexp.MustCompile(`(?i)^(?:(?:written|reported|posted|words|text|story)\s+)?(?:by|von|par|por|door|di|av|af)\s*:?\s+`)
	labelPrefix   = regexp.MustCompile(`(?i)^(?:authors?|autor(?:in|en)?|auteurs?|autores?|reporter)\s*:\s*`)
	dateWords     = regexp.MustCompile(`(?i)\b(?:updated|published|posted|last modified|aktualisiert|veröffentlicht|mis à jour|publié|actualizado|publicado)\b`)
	datePhrase    = regexp.MustCompile(`(?i)\s+(?:on|am|le|el)\s+.*\d.*$`)
	parenthetical = regexp.MustCompile(`\s*\([^)]*\)`)
	monthName     = regexp.MustCompile(`(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)`)
	nameSplit     = regexp.MustCompile(`\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*`)
	segmentSplit  = regexp.MustCompile(`\s*(?:[|•·—–]|\s-\s|\n)\s*`)
	roleWords     = regexp.MustCompile(`(?i)\b(?:staff writer|writer|reporter|correspondent|editor|contributor|columnist|photographer|redakteur\w*|korrespondent\w*|journalist\w*|rédact\w*|redactor\w*)\b`)
)

// cleanAuthors turns raw author strings (meta values, JSON-LD names,
// byline texts) into names: no "By", no dates, roles or links, one name
// per entry, de-duplicated ignoring case. Never nil.
func cleanAuthors(raw ...string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, r := range raw {
		for _, name := range splitAuthors(r) {
			if key := strings.ToLower(name); !seen[key] {
				seen[key] = true
				out = append(out, name)
			}
		}
	}
	return out
}

func splitAuthors(raw string) []string {
	var names []string
	raw = parenthetical.ReplaceAllString(clean(raw), "")
	for _, seg := range segmentSplit.Split(raw, -1) {
		seg = strings.TrimSpace(seg)
		if loc := dateWords.FindStringIndex(seg); loc != nil {
			seg = seg[:loc[0]]
		}
		seg = datePhrase.ReplaceAllString(seg, "")
		seg = labelPrefix.ReplaceAllString(bylinePrefix.ReplaceAllString(seg, ""), "")
		if _, isDate := parseDate(seg); isDate || monthName.MatchString(seg) {
			continue
		}
		for _, name := range nameSplit.Split(seg, -1) {
			name = strings.TrimFunc(bylinePrefix.ReplaceAllString(name, ""), func(r rune) bool {
				return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '.' && r != '\''
			})
			if last := name[strings.LastIndexByte(name, ' ')+1:]; len(last) > 3 {
				name = strings.TrimRight(name, ".")
			}
			if looksLikeName(name) {
				names = append(names, name)
			}
		}
	}
	return names
}

// looksLikeName accepts one to five words of letters that start with a
// letter: no digits, addresses or job titles.
func looksLikeName(s string) bool {
	if s == "" || strings.ContainsAny(s, "@/:=<>") || roleWords.MatchString(s) {
		return false
	}
	if n := wordCount(s); n < 1 || n > 5 {
		return false
	}
	first := []rune(s)[0]
	if !unicode.IsLetter(first) {
		return false
	}
	for _, r := range s {
		if unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
