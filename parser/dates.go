package parser

import (
	"strconv"
	"strings"
	"time"
)

// dateLayouts are the date forms found in meta tags, JSON-LD and
// <time datetime>, most common first. Forms without a zone are taken as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z0700",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	time.RFC850,
	time.ANSIC,
	"January 2, 2006 3:04 PM",
	"January 2, 2006 15:04",
	"Monday, January 2, 2006",
	"January 2, 2006",
	"January 2 2006",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
	"Jan. 2, 2006",
	"2 January 2006 15:04",
	"2 January 2006",
	"2 Jan 2006",
	"02.01.2006 15:04",
	"2.1.2006 15:04",
	"02.01.2006",
	"2.1.2006",
}

// parseDate reads a publication date in any of the forms publishers use and
// returns it in UTC; ok is false when s is not a date or is implausible.
func parseDate(s string) (t time.Time, ok bool) {
	s = clean(s)
	if s == "" {
		return time.Time{}, false
	}
	if isDigits(s) && (len(s) == 10 || len(s) == 13) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		if len(s) == 13 {
			t = time.UnixMilli(n)
		} else {
			t = time.Unix(n, 0)
		}
		return plausible(t)
	}
	for _, layout := range layoutsFor(s, digitDateLayouts, nameDateLayouts) {
		if t, err := time.Parse(layout, s); err == nil {
			return plausible(t)
		}
	}
	return parseHumanDate(s)
}

// digitDateLayouts and nameDateLayouts split dateLayouts, in order, by how
// they start: a number, or an English weekday or month name.
var digitDateLayouts, nameDateLayouts = splitLayouts(dateLayouts)

func splitLayouts(layouts []string) (digit, name []string) {
	for _, l := range layouts {
		if l[0] >= '0' && l[0] <= '9' {
			digit = append(digit, l)
		} else {
			name = append(name, l)
		}
	}
	return digit, name
}

// englishNames are the first three letters of every weekday and month name
// time.Parse reads (it matches them in either case).
var englishNames = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun",
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// layoutsFor returns the layouts that could read s: a layout starting with a
// number reads only text starting with a digit, one starting with a name
// only text starting with that name. Most text offered as a date is not
// one, and each failed time.Parse allocates its error: this spares them.
func layoutsFor(s string, digit, name []string) []string {
	switch {
	case s == "":
		return nil
	case s[0] >= '0' && s[0] <= '9':
		return digit
	case len(s) >= 3:
		for _, n := range englishNames {
			if strings.EqualFold(s[:3], n) {
				return name
			}
		}
	}
	return nil
}

func plausible(t time.Time) (time.Time, bool) {
	if y := t.Year(); y < 1970 || y > 2100 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// The meta keys that carry dates, most specific first.
var (
	publishedKeys = []string{"article:published_time", "og:article:published_time", "article:published",
		"datepublished", "published_time", "publish-date", "publish_date", "pubdate", "publishdate",
		"dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created", "date", "sailthru.date", "parsely-pub-date"}
	modifiedKeys = []string{"article:modified_time", "og:article:modified_time", "og:updated_time",
		"article:modified", "datemodified", "modified_time", "dcterms.modified", "last-modified"}
)

var updatedHint = newLiterals([]string{"updat", "modif", "aktualisiert", "mis-a-jour", "actualiz"})

// dates returns the published and modified times (zero when unknown) from
// JSON-LD, then meta tags, then microdata and <time datetime> elements.
func dates(pn *pageNodes, m metaTags, ld *linkedData) (published, modified time.Time) {
	published = firstDate(ld.str("datePublished"), m, publishedKeys)
	modified = firstDate(ld.str("dateModified"), m, modifiedKeys)
	for _, n := range pn.dated {
		prop := strings.ToLower(attr(n, "itemprop"))
		if prop != "" && prop != "datepublished" && prop != "datemodified" && prop != "datecreated" {
			continue
		}
		if hasAncestor(n, pageChrome) {
			continue
		}
		raw := attrOr(n, "datetime", attr(n, "content"))
		if raw == "" && n.Data == "time" {
			raw = nodeText(n)
		}
		t, ok := parseDate(raw)
		if !ok {
			continue
		}
		isUpdate := prop == "datemodified" || updatedHint.in(hint(n)+" "+hint(n.Parent))
		switch {
		case !isUpdate:
			if published.IsZero() {
				published = t
			}
		default:
			if modified.IsZero() {
				modified = t
			}
		}
	}
	return published, modified
}

func firstDate(ldValue string, m metaTags, keys []string) time.Time {
	if t, ok := parseDate(ldValue); ok {
		return t
	}
	for _, k := range keys {
		for _, v := range m[k] {
			if t, ok := parseDate(v); ok {
				return t
			}
		}
	}
	return time.Time{}
}
