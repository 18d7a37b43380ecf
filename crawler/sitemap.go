package crawler

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// sitemapItem is one <sitemap> of a sitemap index or one <url> of a url
// set (sitemaps.org 0.9), with the Google News extension's publication
// date and title. encoding/xml matches elements by local name, so the
// news: prefix needs no namespace here.
type sitemapItem struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	News    struct {
		PublicationDate string `xml:"publication_date"`
		Title           string `xml:"title"`
	} `xml:"news"`
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

// eachSitemapEntry streams a sitemap's entries to f: child sitemaps
// (Index set) for an index, pages for a url set, one element at a time,
// so a sitemap of 50,000 URLs is never held whole, and it stops when f
// returns false. lastmod wins over a news sitemap's publication date:
// it is the field publishers update when a story changes.
func eachSitemapEntry(body []byte, f func(entry) bool) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charset.NewReaderLabel
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("decoding sitemap: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || (se.Name.Local != "sitemap" && se.Name.Local != "url") {
			continue
		}
		var it sitemapItem
		if err := d.DecodeElement(&it, &se); err != nil {
			return fmt.Errorf("decoding sitemap: %w", err)
		}
		loc := strings.TrimSpace(it.Loc)
		if loc == "" {
			continue
		}
		mod := w3cDate(it.LastMod)
		e := entry{URL: loc, Date: mod, Modified: mod, Index: se.Name.Local == "sitemap"}
		if !e.Index {
			e.Title = strings.TrimSpace(it.News.Title)
			if e.Date.IsZero() {
				e.Date = w3cDate(it.News.PublicationDate)
			}
		}
		if !f(e) {
			return nil
		}
	}
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
