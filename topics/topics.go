// Package topics decides what an article is about, by configurable keyword
// rules, so a deployment publishes only the stories its desk covers. The
// built-in rules are for a tech-privacy desk.
//
// It is a plain function of an article, like the parser, and imports only
// the domain: cmd/newsdesk wires it between the parser and the crawler.
package topics

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"newsdesk/news"
)

// Rule names a topic and the words or phrases that signal it. Matching is
// case-insensitive on whole words, without stemming: list "fine" and
// "fined" both.
type Rule struct {
	Name     string
	Keywords []string
}

// Defaults are the tech-privacy rules newsdesk ships with. The first is
// named "privacy" (data protection and personal data), so that the subject
// newsdesk.article.*.*.privacy the README documents carries those stories.
// Each rule has English, German, French and Spanish vocabulary, listing the
// inflected forms and compounds it needs (matching has no stemming); ad
// tech and data brokers are part of tracking.
var Defaults = []Rule{
	{"privacy", []string{"privacy", "personal data", "data protection", "gdpr", "ccpa", "consent", "data broker", "data brokers", "biometric", "facial recognition", "encryption", "end-to-end", "encrypted", "messages", "data-sharing", "data sharing", "user data",
		// German
		"datenschutz", "datenschutzes", "privatsphäre", "personenbezogene daten", "personenbezogener daten", "dsgvo", "datenschutz-grundverordnung", "einwilligung", "verschlüsselung", "verschlüsselt", "verschlüsselter", "verschlüsselte", "gesichtserkennung", "biometrische", "datenhändler", "nutzerdaten", "kundendaten", "einkaufsdaten",
		// French
		"vie privée", "protection des données", "données personnelles", "rgpd", "consentement", "chiffrement", "chiffré", "chiffrés", "reconnaissance faciale", "courtier en données", "courtiers en données", "biométrique",
		// Spanish
		"privacidad", "protección de datos", "datos personales", "consentimiento", "cifrado", "reconocimiento facial", "intermediarios de datos", "corredores de datos", "biométricos"}},
	{"surveillance", []string{"surveillance", "spyware", "wiretap", "wiretapping", "pegasus", "nso group", "client-side scanning", "backdoor", "mass surveillance", "government hacking", "lawful interception",
		"überwachung", "massenüberwachung", "staatstrojaner", "spähsoftware", "vorratsdatenspeicherung", "chatkontrolle",
		"logiciel espion", "logiciels espions",
		"vigilancia", "programa espía", "software espía"}},
	{"tracking", []string{"tracking", "tracker", "trackers", "cookies", "location data", "ad-tech", "adtech", "ad tech", "fingerprinting", "targeted advertising", "behavioural advertising", "behavioral advertising",
		// ad tech and data brokers
		"ad network", "ad networks", "advertising network", "advertising networks", "real-time bidding", "ad exchange", "programmatic advertising", "shopping data", "purchase data", "data broker", "data brokers",
		"werbenetzwerk", "werbenetzwerke", "personalisierte werbung", "zielgerichtete werbung", "datenhandel",
		"pistage", "traçage", "publicité ciblée", "régie publicitaire", "régies publicitaires", "réseau publicitaire",
		"rastreo", "publicidad dirigida", "publicidad personalizada", "red publicitaria", "redes publicitarias"}},
	{"breaches", []string{"data breach", "data breaches", "breach", "breached", "leaked", "leak", "exposed data", "ransomware", "hacked", "stolen data", "cyberattack",
		"datenleck", "datenlecks", "datenpanne", "hackerangriff", "cyberangriff", "gehackt",
		"fuite de données", "violation de données", "cyberattaque", "piratage", "piraté",
		"filtración de datos", "brecha de datos", "ciberataque", "hackeo", "hackeado"}},
	{"antitrust", []string{"antitrust", "anti-trust", "monopoly", "competition law", "digital markets act", "gatekeeper", "gatekeepers", "market power", "platform power",
		"kartellamt", "bundeskartellamt", "kartellrecht", "wettbewerbsrecht", "marktmacht",
		"autorité de la concurrence", "abus de position dominante", "droit de la concurrence",
		"antimonopolio", "abuso de posición dominante", "cnmc"}},
	{"regulators", []string{"regulator", "regulators", "fine", "fined", "fines", "penalty", "ftc", "ico", "cnil", "edpb", "data protection authority", "data protection commission", "enforcement", "lawsuit", "court filings",
		"bußgeld", "datenschutzbehörde", "datenschutzbeauftragte", "datenschutzbeauftragter", "aufsichtsbehörde",
		"amende", "sanctionne", "sanctionné",
		"multa", "sancionó", "aepd", "agencia española de protección de datos"}},
}

// Classifier scores articles against rules.
type Classifier struct {
	rules []compiled
	// kw matches every rule's keywords, standing in for their regexps.
	kw  *matcher
	min int
}

type compiled struct {
	name string
	// re is the rule's regexp, kept for a rule without a usable keyword
	// (it matches bare word boundaries, which kw does not do); nil
	// otherwise.
	re *regexp.Regexp
}

// MinScore is the score a topic needs: a keyword in the title, the
// description, the section or a tag counts 2 (publishers label a story
// "Datenschutz" without repeating it in the text), in the text 1 per
// occurrence (at most 3).
const MinScore = 2

// New compiles rules (Defaults when empty).
func New(rules []Rule) (*Classifier, error) {
	if len(rules) == 0 {
		rules = Defaults
	}
	c := &Classifier{min: MinScore}
	lowered := make([][]string, len(rules))
	for i, r := range rules {
		if strings.TrimSpace(r.Name) == "" || len(r.Keywords) == 0 {
			return nil, fmt.Errorf("topic rule %d: want a name and at least one keyword", i)
		}
		alts := make([]string, 0, len(r.Keywords))
		for _, k := range r.Keywords {
			if k = strings.TrimSpace(k); k != "" {
				alts = append(alts, regexp.QuoteMeta(strings.ToLower(k)))
				lowered[i] = append(lowered[i], strings.ToLower(k))
			}
		}
		re, err := regexp.Compile(`(?i)(?:^|[^\pL\pN])(?:` + strings.Join(alts, "|") + `)(?:$|[^\pL\pN])`)
		if err != nil {
			return nil, fmt.Errorf("topic rule %q: %w", r.Name, err)
		}
		if len(lowered[i]) > 0 {
			re = nil
		}
		c.rules = append(c.rules, compiled{name: r.Name, re: re})
	}
	c.kw = newMatcher(lowered)
	return c, nil
}

// maxScore is the most one topic can score (title and text), the unit of
// the relevance score.
const maxScore = 5

// Classify returns the topics of an article, best first (none when it is off
// the desk's beat), and its relevance: how strongly it is on the beat, from
// 0 (no topic) to 1 (two topics at full strength, or more), so a newsroom can
// rank or threshold stories without reading the rules.
func (c *Classifier) Classify(a news.Article) (topics []string, relevance float64) {
	head := a.Title + "\n" + a.Description + "\n" + a.Section + "\n" + strings.Join(a.Tags, "\n")
	type scored struct {
		name  string
		score int
	}
	var buf [16]ruleScan // the defaults' 6 rules need 12, on the stack
	st := buf[:]
	if 2*len(c.rules) > len(buf) {
		st = make([]ruleScan, 2*len(c.rules))
	}
	inHead, inText := st[:len(c.rules)], st[len(c.rules):2*len(c.rules)]
	c.kw.count(head, 1, inHead)
	c.kw.count(a.Text, 3, inText)
	var hits []scored
	for i, r := range c.rules {
		score := 0
		if r.re != nil {
			if r.re.MatchString(head) {
				score += 2
			}
			score += min(len(r.re.FindAllStringIndex(a.Text, 3)), 3)
		} else {
			if inHead[i].n > 0 {
				score += 2
			}
			score += inText[i].n
		}
		if score >= c.min {
			hits = append(hits, scored{r.name, score})
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
