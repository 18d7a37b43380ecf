package parser

import (
	"regexp"
	"strings"
	"time"
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

// parseHumanDate reads the forms above; ok is false for anything else.
func parseHumanDate(s string) (time.Time, bool) {
	n := normalizeHumanDate(s)
	for _, layout := range humanLayouts {
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
