package crawler

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// sitemapDoc is a sitemap index or a url set (sitemaps.org 0.9), with the
// Google News extension's publication date and title. encoding/xml matches
// elements by local name, so the news: prefix needs no namespace here.
type sitemapDoc struct {
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    struct {
			PublicationDate string `xml:"publication_date"`
			Title           string `xml:"title"`
		} `xml:"news"`
	} `xml:"url"`
}

// isSitemap reports whether an XML document is a sitemap (its root element
// is urlset or sitemapindex) rather than a feed.
func isSitemap(body []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charset.NewReaderLabel
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == "urlset" || se.Name.Local == "sitemapindex"
		}
	}
}

// sitemapEntries returns a sitemap's entries: child sitemaps (Index set)
// for an index, pages for a url set. A news sitemap's publication date
// wins over lastmod, being the date the story itself gives.
func sitemapEntries(body []byte) ([]entry, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charset.NewReaderLabel
	var doc sitemapDoc
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decoding sitemap: %w", err)
	}
	var out []entry
	for _, s := range doc.Sitemaps {
		if loc := strings.TrimSpace(s.Loc); loc != "" {
			out = append(out, entry{URL: loc, Date: w3cDate(s.LastMod), Index: true})
		}
	}
	for _, u := range doc.URLs {
		loc := strings.TrimSpace(u.Loc)
		if loc == "" {
			continue
		}
		e := entry{URL: loc, Date: w3cDate(u.LastMod), Title: strings.TrimSpace(u.News.Title)}
		if pub := w3cDate(u.News.PublicationDate); !pub.IsZero() {
			e.Date = pub
		}
		out = append(out, e)
	}
	return out, nil
}

// w3cLayouts are the W3C Datetime forms sitemaps use.
var w3cLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"}

// w3cDate parses a sitemap date; zero when absent or unreadable.
func w3cDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range w3cLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
