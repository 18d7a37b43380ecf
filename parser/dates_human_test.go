package parser

import (
	"strings"
	"testing"
	"time"
)

// One row per human form: the instant it names, in UTC.
func TestParseHumanDates(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"27. März 2024", utc(2024, 3, 27, 0, 0)},
		{"27. März 2024 um 17:30 Uhr", utc(2024, 3, 27, 17, 30)},
		{"Mittwoch, 27. März 2024", utc(2024, 3, 27, 0, 0)},
		{"27 mars 2024", utc(2024, 3, 27, 0, 0)},
		{"1er avril 2024", utc(2024, 4, 1, 0, 0)},
		{"27 mars 2024 à 17h30", utc(2024, 3, 27, 17, 30)},
		{"27 de marzo de 2024", utc(2024, 3, 27, 0, 0)},
		{"March 27, 2024 at 5:30 p.m. EDT", utc(2024, 3, 27, 21, 30)},
		{"March 27, 2024 at 5:30 p.m. PST", utc(2024, 3, 28, 1, 30)},
		{"March 27, 2024 5:30 PM", utc(2024, 3, 27, 17, 30)},
		{"27 March 2024 17:30 CEST", utc(2024, 3, 27, 15, 30)},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseDate(%q) = %v, %v; want %v in UTC", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"März", "27 Katzen 2024", "am 27. des Monats", "a 27 de 2024"} {
		if got, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want not a date", bad, got)
		}
	}
}

// One row per relative form, against a fetch on 27 March 2024 at 13:15
// UTC (14:15 in Berlin and Paris: CET, before the switch to summer time).
// "N units ago" is read down to the unit (days to the UTC day): a time the
// text allows that stays the same on the next fetch.
func TestParseRelativeDates(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	fetched := utc(2024, 3, 27, 13, 15)
	summer := utc(2024, 7, 10, 13, 15)                    // 15:15 in Berlin (CEST)
	lateNight := utc(2024, 3, 27, 23, 30)                 // already 28 March, 00:30, in Berlin
	newYork := fetched.In(time.FixedZone("EDT", -4*3600)) // the same instant, a fetch clock in New York
	tests := []struct {
		in      string
		fetched time.Time
		want    time.Time
	}{
		{"vor 2 Stunden", fetched, utc(2024, 3, 27, 11, 0)},
		{"vor einer Stunde", fetched, utc(2024, 3, 27, 12, 0)},
		{"Aktuell: vor 5 Min.", fetched, utc(2024, 3, 27, 13, 10)},
		{"vor 3 Tagen", fetched, utc(2024, 3, 24, 0, 0)},
		{"il y a 3 heures", fetched, utc(2024, 3, 27, 10, 0)},
		{"il y a 2 jours", fetched, utc(2024, 3, 25, 0, 0)},
		{"il y a une semaine", fetched, utc(2024, 3, 20, 0, 0)},
		{"hace 2 días", fetched, utc(2024, 3, 25, 0, 0)},
		{"hace 40 minutos", fetched, utc(2024, 3, 27, 12, 35)},
		{"2 hours ago", fetched, utc(2024, 3, 27, 11, 0)},
		{"an hour ago", fetched, utc(2024, 3, 27, 12, 0)},
		{"Posted 45 minutes ago", fetched, utc(2024, 3, 27, 12, 30)},
		{"3d ago", fetched, utc(2024, 3, 24, 0, 0)},
		{"2 hours ago", newYork, utc(2024, 3, 27, 11, 0)},
		{"2 hours ago", fetched.Add(35 * time.Minute), utc(2024, 3, 27, 11, 0)},
		// A day without a clock time: that calendar day, at 00:00 UTC as
		// "27 March 2024" is.
		{"gestern", fetched, utc(2024, 3, 26, 0, 0)},
		{"Yesterday", fetched, utc(2024, 3, 26, 0, 0)},
		{"heute", lateNight, utc(2024, 3, 28, 0, 0)},
		// German and French clock times are Central European.
		{"heute, 12:30", fetched, utc(2024, 3, 27, 11, 30)},
		{"heute um 14:05 Uhr", fetched, utc(2024, 3, 27, 13, 5)},
		{"heute, 15:00", summer, utc(2024, 7, 10, 13, 0)},
		{"gestern, 23:30", fetched, utc(2024, 3, 26, 22, 30)},
		{"gestern, 22:00", lateNight, utc(2024, 3, 27, 21, 0)},
		{"heute, 00:10", lateNight, utc(2024, 3, 27, 23, 10)},
		{"aujourd'hui à 13h10", fetched, utc(2024, 3, 27, 12, 10)},
		{"hier à 18h45", fetched, utc(2024, 3, 26, 17, 45)},
		// A zone in the text wins; else the fetch clock's zone.
		{"today at 9:05 a.m. EDT", fetched, utc(2024, 3, 27, 13, 5)},
		{"yesterday at 5:30 p.m. PST", fetched, utc(2024, 3, 27, 1, 30)},
		{"hoy, 10:00", fetched, utc(2024, 3, 27, 10, 0)},
		{"ayer a las 21:15", fetched, utc(2024, 3, 26, 21, 15)},
		{"today at 9:05 AM", newYork, utc(2024, 3, 27, 13, 5)},
	}
	for _, tt := range tests {
		got, ok := parseRelativeDate(tt.in, tt.fetched)
		if !ok || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseRelativeDate(%q, %v) = %v, %v; want %v in UTC", tt.in, tt.fetched, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"vor 2 Monaten", "2 months ago", "12 Stunden", "in 2 hours", "tomorrow", "heute, 23:00",
		"today at 25:00", "Jane Carter", "Hierarchie", ""} {
		if got, ok := parseRelativeDate(bad, fetched); ok {
			t.Errorf("parseRelativeDate(%q) = %v, want not a date", bad, got)
		}
	}
	if got, ok := parseRelativeDate("vor 2 Stunden", time.Time{}); ok {
		t.Errorf("without a fetch time: %v, want no date", got)
	}
}

// The central European offset switches on the EU's dates.
func TestCentralEuropeanSummerTime(t *testing.T) {
	for _, tt := range []struct {
		at   time.Time
		want int
	}{
		{time.Date(2024, 3, 31, 0, 59, 0, 0, time.UTC), 3600},
		{time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC), 7200},
		{time.Date(2024, 10, 27, 0, 59, 0, 0, time.UTC), 7200},
		{time.Date(2024, 10, 27, 1, 0, 0, 0, time.UTC), 3600},
		{time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC), 7200},
	} {
		if _, off := tt.at.In(centralEuropean(tt.at)).Zone(); off != tt.want {
			t.Errorf("offset at %v = %d, want %d", tt.at, off, tt.want)
		}
	}
}

// relativePage is a story whose only date is printed relative to the
// fetch, beside a related-stories rail with dates of its own.
func relativePage(extraHead, byline string) []byte {
	body := strings.Repeat("<p>Die Landesregierung hat am Mittwoch ein neues Gesetz zum Schutz persönlicher Daten vorgestellt, das Behörden und Unternehmen strengere Regeln auferlegt und Verbraucherinnen neue Rechte gibt.</p>", 6)
	return []byte(`<!doctype html><html lang="de"><head><title>Neues Datenschutzgesetz vorgestellt</title>` + extraHead + `</head><body>
<aside class="related"><ul><li><a href="/andere">Andere Meldung</a> <span class="date">vor 5 Minuten</span></li></ul></aside>
<article><h1>Neues Datenschutzgesetz vorgestellt</h1><div class="meta"><span class="byline">Von Anna Schmidt</span> <span class="date">` + byline + `</span></div>` + body + `</article>
</body></html>`)
}

func TestParseFetchedReadsARelativeDateOnlyWithoutAnAbsoluteOne(t *testing.T) {
	fetched := time.Date(2024, 3, 27, 13, 15, 0, 0, time.UTC)
	p := New(Options{})
	const pageURL = "https://zeitung.example/datenschutz"

	// The crawler is told a date is relative (PublishedRelative): it keeps
	// the date of the first visit when a later one reads it coarser.
	a, _ := p.ParseFetched(pageURL, relativePage("", "vor 2 Stunden"), fetched)
	if want := time.Date(2024, 3, 27, 11, 0, 0, 0, time.UTC); !a.Published.Equal(want) || !a.PublishedRelative {
		t.Errorf("relative byline date: published %v (relative %t), want %v, relative (the story's, not the related rail's)", a.Published, a.PublishedRelative, want)
	}
	a, _ = p.ParseFetched(pageURL, relativePage("", "<time>gestern, 18:30</time>"), fetched)
	if want := time.Date(2024, 3, 26, 17, 30, 0, 0, time.UTC); !a.Published.Equal(want) || !a.PublishedRelative {
		t.Errorf("<time> without datetime: published %v (relative %t), want %v, relative", a.Published, a.PublishedRelative, want)
	}
	// An absolute date in the markup wins over the printed relative one.
	meta := `<meta property="article:published_time" content="2024-03-27T08:00:00+01:00">`
	a, _ = p.ParseFetched(pageURL, relativePage(meta, "vor 2 Stunden"), fetched)
	if want := time.Date(2024, 3, 27, 7, 0, 0, 0, time.UTC); !a.Published.Equal(want) || a.PublishedRelative {
		t.Errorf("with article:published_time: published %v (relative %t), want %v, not relative", a.Published, a.PublishedRelative, want)
	}
	// No fetch time, no relative date.
	if a, _ := p.Parse(pageURL, relativePage("", "vor 2 Stunden")); !a.Published.IsZero() {
		t.Errorf("Parse without a fetch time: published %v, want none", a.Published)
	}
	// An update line is not the publication date.
	if a, _ := p.ParseFetched(pageURL, relativePage("", "Aktualisiert vor 1 Stunde"), fetched); !a.Published.IsZero() {
		t.Errorf("update line only: published %v, want none", a.Published)
	}
}

// A date printed in an element named like one counts without a fetch time
// when it is absolute; a news ticker's relative dates (several, different)
// are not the story's.
func TestPrintedDates(t *testing.T) {
	fetched := time.Date(2024, 3, 27, 13, 15, 0, 0, time.UTC)
	p := New(Options{})
	const pageURL = "https://zeitung.example/datenschutz"
	if a, _ := p.Parse(pageURL, relativePage("", "Dienstag, 26. März 2024")); !a.Published.Equal(time.Date(2024, 3, 26, 0, 0, 0, 0, time.UTC)) || a.PublishedRelative {
		t.Errorf("printed absolute date: published %v (relative %t), want 2024-03-26, not relative", a.Published, a.PublishedRelative)
	}
	ticker := `<div class="shortnews"><h2>Kurznachrichten</h2><ul><li class="date">vor 16 Stunden</li><li>Eine Meldung.</li></ul>` +
		`<ul><li class="date">gestern</li><li>Noch eine.</li></ul></div></article>`
	page := strings.Replace(string(relativePage("", "")), "</article>", ticker, 1)
	if a, _ := p.ParseFetched(pageURL, []byte(page), fetched); !a.Published.IsZero() {
		t.Errorf("ticker dates only: published %v, want none", a.Published)
	}
}
