package parser

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Short paragraphs that are page furniture by their wording, wherever the
// theme puts them: the reporter's contact line, a photo caption or
// credit, a republishing notice, a "click here for more" line and the
// section kicker above the story, a "follow us" line. Only short paragraphs are tested, so
// prose that happens to use the words is kept.

// personName is two to four capitalised words ("Jane Doe", "Mary-Ann
// O'Neil", "J. R. Smith"), possibly joined by a particle ("Ana de la Cruz").
const personName = `(\p{Lu}[\p{L}.'’-]*(?:\s+(?:(?:de|da|del|der|van|von|la|le|di|du|bin|al)\s+)*\p{Lu}[\p{L}.'’-]*){1,3})`

var (
	// contactFirst is "Contact Jane Doe at …", "Reach Jane Doe at …",
	// "Email Jane Doe at …", "You can reach Jane Doe at …".
	contactFirst = regexp.MustCompile(`^(?i:(?:you\s+can\s+)?(?:contact|reach|e-?mail|write\s+to))\s+` + personName + `\s+(?i:at|via|on|by)\b`)
	// reachedFirst is "Jane Doe can be reached at …".
	reachedFirst = regexp.MustCompile(`^` + personName + `\s+(?i:can|may)\s+be\s+(?i:reached|contacted)\b`)
	// reporterIntro is "Jane Doe is a reporter … She can be reached at …":
	// the name of such a line is taken when it also says how to reach them.
	reporterIntro = regexp.MustCompile(`^` + personName + `\s+(?:is|covers|writes)\b`)
	// reachWords say how to reach someone, in any sentence of the line.
	reachWords = regexp.MustCompile(`(?i)\b(?:can|may)\s+be\s+(?:reached|contacted)\b|\breach\s+(?:him|her|them)\s+at\b`)
)

// maxContactWords bounds a contact line: an e-mail, a phone number and a
// social handle, not a paragraph of the story.
const maxContactWords = 45

// contactLine reports whether p, lower-cased lower, is a reporter's
// contact line and returns the reporter's name when the line gives it.
func contactLine(p, lower string, words int) (name string, ok bool) {
	if words > maxContactWords {
		return "", false
	}
	if mayStartWith(p, contactFirsts) {
		if m := contactFirst.FindStringSubmatch(p); m != nil && isNameList(m[1]) {
			return strings.TrimRight(m[1], ".'’-"), true
		}
	}
	if !mayMatchFolded(p, lower, "reach", "contacted") || !reachWords.MatchString(p) {
		return "", false
	}
	for _, re := range []*regexp.Regexp{reachedFirst, reporterIntro} {
		if m := re.FindStringSubmatch(p); m != nil && isNameList(m[1]) {
			return strings.TrimRight(m[1], ".'’-"), true
		}
	}
	// "She can be reached at …" names no one but is still a contact line.
	return "", true
}

var (
	// captionStart is a credit line or a caption that opens with its
	// credit: "Photo: Reuters", "Photo by Jane Doe/Getty Images", "Image
	// credit: NASA", "Foto: dpa", "File photo"; or a numbered figure's
	// caption: "Abbildung 4: …", "Figure 2: …".
	captionStart = regexp.MustCompile(`(?i)^(?:(?:abbildung|abb\.|figure|fig\.|grafik|schaubild|tabelle|table|imagen|figura)\s*\d+[a-z]?\s*:|[(\[]?(?:(?:file|top|main|lead|header|featured)\s+)?(?:photo(?:graph)?s?|image|picture|pic|illustration|foto|bild|beitragsbild|titelbild|credits?)(?:\s+credits?)?\s*(?::|by\b|courtesy\b|via\b|/|\|))`)
	// captionCredit is a caption that ends with its credit: "… (Photo:
	// AP)", "… (AP Photo/Jane Doe)", "… Jane Doe/Getty Images", "… |
	// Reuters".
	captionCredit = regexp.MustCompile(`(?i)(?:[(\[](?:photo|image|foto|bild|credit|picture)[^)\]]*[)\]]|[(\[]?\b(?:ap|afp|reuters|epa|dpa|upi)\s+(?:photo|images?|foto)\s*/[^)\]]+[)\]]?|(?:/|\|)\s*(?:getty\s+images|ap|afp|reuters|epa|dpa|shutterstock|alamy|istock|bloomberg|picture[- ]alliance|keystone|imago)(?:\s+(?:via\s+getty\s+images|photo|images))?[)\]]?)\s*\.?$`)
)

// maxCaptionWords bounds a caption line.
const maxCaptionWords = 50

// isCaptionLine reports whether p is a photo caption or credit left in the
// story's flow rather than in a <figcaption>.
func isCaptionLine(p string, words int) bool {
	if words > maxCaptionWords {
		return false
	}
	// Every form of captionCredit holds one of these marks; most prose
	// has none, and the unanchored pattern is the costly one.
	return mayStartWith(p, captionFirsts) && captionStart.MatchString(p) ||
		(strings.ContainsAny(p, "([/|") && captionCredit.MatchString(p))
}

// The bytes a match of the anchored patterns can open with (letters in
// lower case; see mayStartWith), checked by TestFirstBytesOfPatterns.
const (
	contactFirsts  = "ycrew"
	captionFirsts  = "abcfghilmpst(["
	moreNewsFirsts = "ctf"
)

// mayStartWith is the cheap test before an anchored case-insensitive
// pattern whose matches open with one of the ASCII bytes firsts: false
// only when p opens with another ASCII byte. A rune beyond ASCII is left
// to the pattern (the long s folds to s). Every paragraph of every story
// meets three such patterns, which the test skips for most.
func mayStartWith(p, firsts string) bool {
	if p == "" || p[0] >= utf8.RuneSelf {
		return true
	}
	c := p[0]
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return strings.IndexByte(firsts, c) >= 0
}

// republishNotice is the wording of a Creative Commons republishing
// notice: "This article is republished from The Conversation under a
// Creative Commons license", "Republish our articles for free …".
var republishNotice = regexp.MustCompile(`(?i)republish|reprint|(?:licen[cs]ed|published|available|shared)\s+under\s+(?:a|the)\s+creative\s+commons|this\s+(?:article|story|work|post|piece|content)\s+(?:is|was|may\s+be)\b`)

// isRepublishNotice reports whether p, lower-cased lower, is a short
// Creative Commons notice.
func isRepublishNotice(p, lower string, words int) bool {
	return words <= 80 && strings.Contains(lower, "creative commons") && republishNotice.MatchString(p)
}

// moreNewsLine is "Click here for more local news", "Tap here to read
// more", "For more business news, click here".
var moreNewsLine = regexp.MustCompile(`(?i)^(?:(?:click|tap)\s+here\s+(?:for|to\s+(?:read|see|find|view))\s+(?:more|all|the\s+latest|other)\b.*\b(?:news|stories|articles|coverage|headlines|updates)\b|for\s+(?:more|the\s+latest)\b.*\b(?:news|stories|articles|coverage|headlines|updates)\b.*\b(?:click|tap)\s+here\b)`)

// isMoreNewsLine reports whether p is a short "click here for more" line.
func isMoreNewsLine(p string, words int) bool {
	return words <= 20 && mayStartWith(p, moreNewsFirsts) && moreNewsLine.MatchString(p)
}

// kickerWords end the section labels publishers print above a story.
var kickerWords = map[string]bool{"news": true, "opinion": true, "analysis": true, "commentary": true,
	"editorial": true, "exclusive": true, "breaking": true, "update": true, "politics": true, "business": true,
	"world": true, "nation": true, "local": true, "metro": true, "nachrichten": true, "meinung": true,
	"actualités": true, "actualité": true, "opinión": true, "noticias": true, "actualidad": true}

// socialPromo is a line sending the reader to the publisher's channels:
// "Follow The Gleaner on Twitter and Instagram", "Síguenos en Telegram",
// "Download the Nationnews apps for iOS and Android", "Únete a nuestro
// canal de Telegram".
var socialPromo = regexp.MustCompile(`(?i)(?:\b(?:follow|síguenos|siguenos|sígannos|folgen\s+sie|folge\s+uns|suivez[- ]nous|join)\b.*\b(?:twitter|facebook|instagram|telegram|youtube|tiktok|linkedin|whatsapp|threads|mastodon|bluesky)\b|\bdownload\s+(?:the|our)\b.*\bapps?\b|\b(?:canal|channel|kanal|chaîne)\s+(?:de|on|auf|bei|sur)\s+(?:telegram|youtube|whatsapp)\b)`)

// isSocialPromo reports whether p, lower-cased lower, is a short line
// promoting the publisher's social channels or apps.
func isSocialPromo(p, lower string, words int) bool {
	return words <= 40 && mayMatchFolded(p, lower, socialWords...) && socialPromo.MatchString(p)
}

// socialWords are the words one of which every socialPromo match holds.
var socialWords = []string{"twitter", "facebook", "instagram", "telegram", "youtube", "tiktok", "linkedin",
	"whatsapp", "threads", "mastodon", "bluesky", "download"}

// mayMatchFolded is the cheap test before a costly case-insensitive
// pattern: false only when p, lower-cased lower, holds none of the
// lower-case words. Text with a rune that folds to ASCII only under
// Unicode case folding (the long s, the Kelvin sign) is always left to
// the pattern. (Two Contains: ContainsAny decodes every rune of p.)
func mayMatchFolded(p, lower string, words ...string) bool {
	if strings.Contains(p, "\u017f") || strings.Contains(p, "\u212a") {
		return true
	}
	for _, w := range words {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// isKicker reports whether p, the first paragraph of the body, is a
// section kicker: at most four words, all in capitals, without sentence
// punctuation or digits, naming the page's section or ending in a section
// word ("LOCAL NEWS", "OPINION"). Other capitalised lines may be the
// story's first subhead.
func isKicker(p, section string, words int) bool {
	if words > 4 {
		return false
	}
	fields := strings.Fields(p)
	if !strings.EqualFold(p, section) && !kickerWords[strings.ToLower(fields[len(fields)-1])] {
		return false
	}
	letters := 0
	for _, r := range p {
		switch {
		case unicode.IsLower(r) || unicode.IsDigit(r) || strings.ContainsRune(".!?:;,—–", r):
			return false
		case unicode.IsUpper(r):
			letters++
		}
	}
	return letters >= 3
}

// boilerLine reports whether the paragraph p of the body, of the given
// words, is furniture by its wording, and the reporter's name when it is
// a contact line that gives one. first says that p would be the first
// paragraph.
func boilerLine(p string, words int, section string, first bool) (contact string, ok bool) {
	if words > 80 {
		return "", false
	}
	lower := strings.ToLower(p) // once, for the tests that look for words
	if name, ok := contactLine(p, lower, words); ok {
		return name, true
	}
	if isCaptionLine(p, words) || isRepublishNotice(p, lower, words) || isMoreNewsLine(p, words) || isSocialPromo(p, lower, words) {
		return "", true
	}
	return "", first && isKicker(p, section, words)
}
