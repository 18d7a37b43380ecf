package parser

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Human date forms as pages print them ("27. März 2024", "27 mars 2024",
// "27 de marzo de 2024", "March 27, 2024 at 5:30 p.m. EDT"): rewritten into
// one English form that time.Parse reads, then parsed with the zone the
// text names.

// foreignMonths maps German, French and Spanish month names (lower case) to
// English ones.
var foreignMonths = map[string]string{
	"januar": "January", "jänner": "January", "februar": "February", "märz": "March", "mai": "May",
	"juni": "June", "juli": "July", "oktober": "October", "dezember": "December",
	"janvier": "January", "février": "February", "fevrier": "February", "mars": "March", "avril": "April",
	"juin": "June", "juillet": "July", "août": "August", "aout": "August", "septembre": "September",
	"octobre": "October", "novembre": "November", "décembre": "December", "decembre": "December",
	"enero": "January", "febrero": "February", "marzo": "March", "abril": "April", "mayo": "May",
	"junio": "June", "julio": "July", "agosto": "August", "septiembre": "September", "setiembre": "September",
	"octubre": "October", "noviembre": "November", "diciembre": "December",
}

// zoneOffsets are the North American zone abbreviations news sites print;
// time.Parse does not know their offsets.
var zoneOffsets = map[string]string{
	"EDT": "-0400", "EST": "-0500", "CDT": "-0500", "CST": "-0600",
	"MDT": "-0600", "MST": "-0700", "PDT": "-0700", "PST": "-0800",
	"UTC": "+0000", "GMT": "+0000", "CET": "+0100", "CEST": "+0200", "MEZ": "+0100", "MESZ": "+0200",
}

var (
	weekday    = regexp.MustCompile(`^\p{L}+\.?,\s+`)
	dayDot     = regexp.MustCompile(`^(\d{1,2})(?:\.|er)?\s+`)
	frenchTime = regexp.MustCompile(`(\d{1,2})\s?h\s?(\d{2})`)
	meridiem   = strings.NewReplacer("a.m.", "AM", "p.m.", "PM", "A.M.", "AM", "P.M.", "PM")
)

// humanLayouts are the forms normalizeHumanDate writes.
var humanLayouts = []string{
	"January 2, 2006 3:04 PM -0700", "January 2, 2006 15:04 -0700", "January 2, 2006 3:04 PM", "January 2, 2006 15:04",
	"2 January 2006 15:04 -0700", "2 January 2006 15:04", "2 January 2006 3:04 PM", "2 January 2006", "January 2, 2006",
}

var digitHumanLayouts, nameHumanLayouts = splitLayouts(humanLayouts)

// parseHumanDate reads the forms above; ok is false for anything else.
func parseHumanDate(s string) (time.Time, bool) {
	n := normalizeHumanDate(s)
	for _, layout := range layoutsFor(n, digitHumanLayouts, nameHumanLayouts) {
		if t, err := time.Parse(layout, n); err == nil {
			return plausible(t)
		}
	}
	return time.Time{}, false
}

// normalizeHumanDate rewrites month names to English, drops the words and
// dots between the parts ("at", "um", "à", "de", "Uhr", "27."), writes
// "p.m." as "PM", "17h30" as "17:30" and a zone abbreviation as its offset.
func normalizeHumanDate(s string) string {
	s = meridiem.Replace(strings.TrimSpace(s))
	s = frenchTime.ReplaceAllString(s, "$1:$2")
	// A leading weekday ("Mittwoch,", "mercredi,"): not needed.
	s = weekday.ReplaceAllString(s, "")
	s = dayDot.ReplaceAllString(s, "$1 ")
	var out []string
	for _, f := range strings.Fields(s) {
		w := strings.TrimRight(f, ",")
		switch lw := strings.ToLower(w); {
		case lw == "at" || lw == "um" || lw == "à" || lw == "a" || lw == "de" || lw == "uhr" || lw == "le" || lw == "el":
			continue
		case foreignMonths[strings.TrimSuffix(lw, ".")] != "":
			f = foreignMonths[strings.TrimSuffix(lw, ".")] + f[len(w):]
		case zoneOffsets[w] != "":
			f = zoneOffsets[w]
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

// Dates printed relative to when the page was served ("vor 2 Stunden",
// "il y a 3 heures", "hace 2 días", "2 hours ago", "gestern", "yesterday",
// "heute, 14:30"). They mean something only with the fetch time, so they
// are read only when the caller knows it (Parser.ParseFetched), and only
// when the page has no absolute date.

var (
	// agoForms capture a count and a unit; the unit alternatives are
	// longest first, and none of them reads a month or a year.
	agoForms = []*regexp.Regexp{
		regexp.MustCompile(`(?i)(?:^|[^\p{L}\d])(\d{1,4}|an?|one)\s*(seconds?|secs?|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)\.?\s+ago(?:[^\p{L}]|$)`),
		regexp.MustCompile(`(?i)(?:^|[^\p{L}])vor\s+(\d{1,4}|einer|einem|eine)\s*(sekunden|sek|minuten|minute|min|stunden|stunde|std|tagen|tag|wochen|woche)(?:[^\p{L}]|$)`),
		regexp.MustCompile(`(?i)(?:^|[^\p{L}])il\s+y\s+a\s+(\d{1,4}|une|un)\s*(secondes?|s|minutes?|min|heures?|h|jours?|j|semaines?)(?:[^\p{L}]|$)`),
		regexp.MustCompile(`(?i)(?:^|[^\p{L}])hace\s+(\d{1,4}|una|un)\s*(segundos?|minutos?|min|horas?|h|días?|dias?|d|semanas?)(?:[^\p{L}]|$)`),
	}
	// dayWord is "today" or "yesterday" in the four languages.
	dayWord = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(today|yesterday|heute|gestern|aujourd['’]hui|hier|hoy|ayer)(?:[^\p{L}]|$)`)
	// clockTime is "14:30", "14.30", "14h30", "2:30 PM" or "5:30 p.m.".
	clockTime = regexp.MustCompile(`(?i)(?:^|[^\d])(\d{1,2})(?::|\.|\s?h\s?)(\d{2})(?:\s*([ap])\.?\s?m\.?)?(?:[^\p{L}\d]|$)`)
	zoneWord  = regexp.MustCompile(`(?:^|[^\p{L}])(E[DS]T|C[DS]T|M[DS]T|P[DS]T|UTC|GMT|CEST|CET|MESZ|MEZ)(?:[^\p{L}]|$)`)
)

// agoUnit is the length of a unit as written, told by its first letters.
func agoUnit(u string) time.Duration {
	u = strings.ToLower(u)
	switch {
	case strings.HasPrefix(u, "sem") || strings.HasPrefix(u, "w"): // semaines, semanas, weeks, wochen
		return 7 * 24 * time.Hour
	case strings.HasPrefix(u, "st") || strings.HasPrefix(u, "h"): // stunden, std, hours, hrs, heures, horas
		return time.Hour
	case strings.HasPrefix(u, "s"): // seconds, secs, sekunden, secondes, segundos
		return time.Second
	case strings.HasPrefix(u, "m"): // minutes, min, minuten, minutos
		return time.Minute
	case strings.HasPrefix(u, "d") || strings.HasPrefix(u, "t") || strings.HasPrefix(u, "j"): // days, días, tagen, jours
		return 24 * time.Hour
	}
	return 0
}

// parseRelativeDate reads s as a date relative to fetched and returns it in
// UTC. A clock time is read in the zone s names, else in the publisher's
// zone the words imply (German and French: Central European Time), else
// in fetched's zone; a date without a clock time is that calendar day at
// 00:00 UTC, as absolute dates without a time are. A time after the fetch
// is not a publication date: ok is false.
func parseRelativeDate(s string, fetched time.Time) (time.Time, bool) {
	if fetched.IsZero() {
		return time.Time{}, false
	}
	for _, re := range agoForms {
		m := re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		n := 1
		if isDigits(m[1]) {
			n, _ = strconv.Atoi(m[1])
		}
		// Down to the unit: "2 hours ago" seen at 13:15 and at 13:50 is
		// 11:00 both times (a time the text allows), so a revisit does not
		// read a new publication time, and a new revision, every pass.
		unit := agoUnit(m[2])
		return plausible(fetched.UTC().Add(-time.Duration(n) * unit).Truncate(min(unit, 24*time.Hour)))
	}
	m := dayWord.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	word := strings.ToLower(m[1])
	back := 0
	switch word {
	case "yesterday", "gestern", "hier", "ayer":
		back = 1
	}
	loc := fetched.Location()
	switch {
	case zoneWord.MatchString(s):
		off, _ := time.Parse("-0700", zoneOffsets[zoneWord.FindStringSubmatch(s)[1]])
		_, secs := off.Zone()
		loc = time.FixedZone("", secs)
	case word == "heute" || word == "gestern" || strings.HasPrefix(word, "aujourd") || word == "hier":
		loc = centralEuropean(fetched)
	}
	day := fetched.In(loc).AddDate(0, 0, -back)
	c := clockTime.FindStringSubmatch(s)
	if c == nil {
		return plausible(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC))
	}
	h, _ := strconv.Atoi(c[1])
	mins, _ := strconv.Atoi(c[2])
	switch strings.ToLower(c[3]) {
	case "p":
		if h < 12 {
			h += 12
		}
	case "a":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || mins > 59 {
		return time.Time{}, false
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), h, mins, 0, 0, loc)
	if t.After(fetched.Add(time.Minute)) {
		return time.Time{}, false
	}
	return plausible(t)
}

// centralEuropean is the zone of Germany, Austria, Switzerland and France
// at instant t: UTC+1, and UTC+2 from the last Sunday of March to the last
// Sunday of October (01:00 UTC both), the EU rule. Written out so that it
// needs no time zone database on the host.
func centralEuropean(t time.Time) *time.Location {
	t = t.UTC()
	lastSunday := func(m time.Month) time.Time {
		d := time.Date(t.Year(), m+1, 0, 1, 0, 0, 0, time.UTC) // the month's last day, 01:00 UTC
		return d.AddDate(0, 0, -int(d.Weekday()))
	}
	if !t.Before(lastSunday(time.March)) && t.Before(lastSunday(time.October)) {
		return time.FixedZone("CEST", 2*3600)
	}
	return time.FixedZone("CET", 3600)
}

// dateNames are the class and id words of elements that hold a byline date.
var dateNames = newLiterals([]string{"date", "time", "datum", "zeit", "publish", "posted", "fecha", "ago"})

// printedDate is the publication time a page prints only as text, in an
// element named like a date (a <time> without datetime, an itemprop
// datePublished or dateCreated without content, a class such as "date"),
// outside the page chrome, links (teasers of other stories) and update
// lines. The first absolute date wins ("Dienstag, 1. Februar 2022"). A date
// relative to the fetch ("vor 2 Stunden") needs fetched, and counts only
// when every such element outside the chrome says the same: several
// different ones are a news ticker's, not the story's. Zero when there is
// none; relative says the date is such a relative one.
func printedDate(root *xhtml.Node, fetched time.Time) (t time.Time, relative bool) {
	var absolute, ago time.Time
	ambiguous := false
	walk(root, func(n *xhtml.Node) bool {
		if !absolute.IsZero() {
			return false
		}
		if n.Type != xhtml.ElementNode {
			return true
		}
		if isTag(n, atom.A, atom.Aside, atom.Script, atom.Style, atom.Noscript, atom.Template) || pageChrome(n) {
			return false
		}
		h := hint(n)
		prop := strings.ToLower(attr(n, "itemprop"))
		if n.Data != "time" && prop != "datepublished" && prop != "datecreated" && !dateNames.in(h) {
			return true
		}
		text := clean(nodeText(n))
		if len(text) > 80 {
			return true // a container: look at what it holds
		}
		if prop == "datemodified" || updatedHint.in(h) || updatedHint.in(strings.ToLower(text)) {
			return false
		}
		if t, ok := parseDate(text); ok {
			absolute = t
			return false
		}
		if t, ok := parseRelativeDate(text, fetched); ok {
			if !ago.IsZero() && !ago.Equal(t) {
				ambiguous = true
			}
			ago = t
			return false
		}
		return true
	})
	switch {
	case !absolute.IsZero():
		return absolute, false
	case ambiguous:
		return time.Time{}, false
	}
	return ago, !ago.IsZero()
}
