package crawler

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

// agoParser is fakeTextParser that dates a story as the real parser
// does, from the byline after its text: an RFC 3339 time is an absolute
// date, "N hours ago" a date relative to the fetch, read to the hour, and
// "N days ago" to the day.
type agoParser struct{ fakeTextParser }

func (p *agoParser) ParseFetched(pageURL string, body []byte, fetched time.Time) (news.Article, error) {
	a, err := p.fakeTextParser.Parse(pageURL, body)
	if err != nil {
		return a, err
	}
	_, byline, _ := strings.Cut(string(body), "</p>")
	for f := range strings.FieldsSeq(byline) {
		if t, err := time.Parse(time.RFC3339, f); err == nil {
			a.Published = t
			return a, nil
		}
	}
	var n int
	var unit time.Duration
	switch f := strings.Fields(byline); {
	case slices.Contains(f, "hours"):
		n, _ = strconv.Atoi(f[slices.Index(f, "hours")-1])
		unit = time.Hour
	case slices.Contains(f, "days"):
		n, _ = strconv.Atoi(f[slices.Index(f, "days")-1])
		unit = 24 * time.Hour
	default:
		return a, nil
	}
	a.Published = fetched.Add(-time.Duration(n) * unit).Truncate(unit)
	a.PublishedRelative = true
	return a, nil
}

// A date read only relative to the fetch is kept from the first visit
// while the page says the same coarser ("1 days ago"); a date the page
// states outright replaces it, as any edit of the date does.
func TestRevisitKeepsARelativeDateUntilThePageStatesOne(t *testing.T) {
	site := newLiveSite(t)
	site.listing("/", "/news/a")
	dated := func(byline string) {
		site.set("/news/a", "text/html; charset=utf-8", strings.Replace(storyBody("Fined", "The regulator fined the company."), "</p>", "</p> "+byline+" ", 1), true)
	}
	dated("23 hours ago")
	c := newClockedCrawl(t, Source{Name: "ledger", Seeds: []string{site.URL + "/"}})
	c.parser = &agoParser{}

	first := revisitT0.Add(-23 * time.Hour)
	if _, evs := c.at(0); len(evs) != 1 || !evs[0].Data.Published.Equal(first) {
		t.Fatalf("first pass: %d events; want one, published %v", len(evs), first)
	}
	dated("1 days ago")
	if sum, evs := c.at(2 * time.Hour); len(evs) != 0 || sum.Unchanged != 1 {
		t.Fatalf("pass at 2h: %s, %d events; want the story read again and unchanged", sum, len(evs))
	}
	stated := revisitT0.Add(-22*time.Hour - 40*time.Minute)
	dated("1 days ago, published " + stated.Format(time.RFC3339))
	_, evs := c.at(4 * time.Hour)
	if len(evs) != 1 || !evs[0].Data.Published.Equal(stated) || !slices.Contains(evs[0].Data.Changes, news.ChangePublished) {
		t.Fatalf("pass at 4h: %d events; want one update with changes [published ...] and published %v", len(evs), stated)
	}
}
