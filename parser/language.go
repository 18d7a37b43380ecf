package parser

import (
	"maps"
	"slices"
	"unicode"
	"unicode/utf8"
)

// Language: the markup is trusted first (<html lang>, Content-Language,
// og:locale, JSON-LD inLanguage; see meta.go), because the publisher knows.
// But templates lie: a German edition served from an English template says
// lang="en", and many pages say nothing. So the text is checked too, by
// counting the most frequent function words of each language we can tell
// apart: short, closed lists that every paragraph of running text is full
// of, so a few sentences are enough and no model is needed. A small,
// readable detector beats a dependency here: we need seven languages, not
// ninety, and the answer must be explainable.

// stopWords are the commonest function words of each language, chosen to
// be rare in the others: a word common in two of them ("en", "que", "con",
// "il", "is") is in neither list.
var stopWords = map[string]map[string]bool{
	"en": wordSet("the and of to was that for with on are from by this have has were which their been would will but not an they its", " "),
	"de": wordSet("der die das und ist nicht mit den dem sich auf für von ein eine einer auch wird werden sind hat wurde im zum zur nach bei aus noch", " "),
	"fr": wordSet("le les et est dans pour qui une sur avec pas au aux du des ce cette sont par plus ont été leur elle nous", " "),
	"es": wordSet("el los las y por más muy pero fue han también cuando desde hasta había según ya hay ser otros durante donde así", " "),
	"it": wordSet("gli della delle degli di che è per non sono nel nella alla anche più questo questa ma stato dei dal dalla essere ci così molto", " "),
	"nl": wordSet("het een van is dat niet met voor zijn op aan ook door bij naar wordt worden heeft hebben maar deze dit om er nog", " "),
	"pt": wordSet("o os um uma não em com dos das na ao é são pelo pela foi seu sua ainda quando já depois disse pelos isso essa esse muito", " "),
}

// stopLangs orders the languages of stopWords, and stopWordLangs maps each
// stop word to the set of them it belongs to, a bit per language (there
// are seven, so a byte holds them): one map look-up per word of text,
// where a map per language took seven.
var (
	stopLangs     = slices.Sorted(maps.Keys(stopWords))
	stopWordLangs = func() map[string]uint8 {
		m := map[string]uint8{}
		for k, lang := range stopLangs {
			for w := range stopWords[lang] {
				m[w] |= 1 << k
			}
		}
		return m
	}()
)

// countStopWords counts the stop words of each language (indexed as
// stopLangs) among the first maxDetectWords words of text, and the words
// read. A word is a run of letters and apostrophes of the lower-cased
// text, as strings.FieldsFunc(strings.ToLower(text), ...) would split it;
// lower-casing word by word and stopping early spares copying a long text.
// maxStopWordBytes is longer than any function word: a word is collected
// up to it, so a megabyte-long "word" costs no megabyte of buffer.
const maxStopWordBytes = 32

func countStopWords(text string) (hits [8]int, total int) {
	var buf []byte
	count := func() {
		total++
		for k, set := 0, stopWordLangs[string(buf)]; set != 0; k, set = k+1, set>>1 {
			hits[k] += int(set & 1)
		}
		buf = buf[:0]
	}
	for _, r := range text {
		// Ranging over a string yields utf8.RuneError for an invalid
		// byte, as strings.ToLower writes it.
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && r != '\'' {
			if len(buf) > 0 {
				if count(); total == maxDetectWords {
					return hits, total
				}
			}
			continue
		}
		if len(buf) < maxStopWordBytes { // a longer word is none, however long
			buf = utf8.AppendRune(buf, r)
		}
	}
	if len(buf) > 0 {
		count()
	}
	return hits, total
}

// Detection needs this many words of text, and the best language must hold
// this share of them and beat the runner-up by this factor; below that the
// text says too little and the markup (or nothing) stands.
const (
	minDetectWords  = 20
	minDetectShare  = 0.12
	detectMargin    = 2.0
	maxDetectWords  = 2000
	implausibleHits = 3.0
)

// detectLanguage returns the language of text by its function words, and
// the share of words that are function words of each language; "" when it
// cannot tell.
func detectLanguage(text string) (string, map[string]float64) {
	hits, total := countStopWords(text)
	if total < minDetectWords {
		return "", nil
	}
	share := map[string]float64{}
	for k, lang := range stopLangs {
		share[lang] = float64(hits[k]) / float64(total)
	}
	best, second := "", 0.0
	for lang, s := range share {
		if best == "" || s > share[best] || (s == share[best] && lang < best) {
			best = lang
		}
	}
	for lang, s := range share {
		if lang != best && s > second {
			second = s
		}
	}
	if share[best] < minDetectShare || share[best] < detectMargin*second {
		return "", share
	}
	return best, share
}

// resolveLanguage returns the article's language: the declared one unless
// the text plainly says otherwise, the detected one when nothing is
// declared. "Plainly" means detection is sure and the declared language is
// one we know yet its function words are rare in the text (a declared
// language we cannot detect stands, unless the text is clearly one we
// can).
func resolveLanguage(declared, text string) string {
	detected, share := detectLanguage(text)
	switch {
	case detected == "":
		return declared
	case declared == "" || declared == detected:
		return detected
	}
	if s, known := share[declared]; known && s*implausibleHits > share[detected] {
		return declared // the declared language is well represented: keep it
	}
	return detected
}
