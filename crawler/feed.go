package crawler

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// entry is one link a feed or sitemap lists, with the dates it gives,
// zero when it gives none. Date is how recent the entry is (for
// SitemapMaxAge): a sitemap's lastmod, else its news publication date, a
// feed item's update, else publication date. Modified is only a date of
// change (lastmod, a feed item's <updated>): a publication date says
// nothing about edits, so only Modified makes a known article due early.
type entry struct {
	URL      string
	Date     time.Time
	Modified time.Time
	Title    string
	Index    bool // a child sitemap of a sitemap index, not a page
}

// feedEntries returns the item links of an RSS (0.9x, 1.0/RDF, 2.0), Atom
// or JSON feed, in document order. gofeed does the parsing: feeds in the
// wild are messy (undeclared namespaces, HTML in titles, odd dates, charsets
// named only in the XML declaration) and it has been kept up with them.
func feedEntries(body []byte) ([]entry, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("decoding feed: %w", err)
	}
	var out []entry
	for _, it := range f.Items {
		link := strings.TrimSpace(it.Link)
		if link == "" && len(it.Links) > 0 {
			link = strings.TrimSpace(it.Links[0])
		}
		if link == "" {
			continue
		}
		e := entry{URL: link, Title: it.Title}
		switch {
		case it.UpdatedParsed != nil:
			e.Date, e.Modified = *it.UpdatedParsed, *it.UpdatedParsed
		case it.PublishedParsed != nil:
			e.Date = *it.PublishedParsed
		}
		out = append(out, e)
	}
	return out, nil
}

// feedLinks returns the item links of a feed.
func feedLinks(body []byte) ([]string, error) {
	entries, err := feedEntries(body)
	if err != nil {
		return nil, err
	}
	links := make([]string, len(entries))
	for i, e := range entries {
		links[i] = e.URL
	}
	return links, nil
}
