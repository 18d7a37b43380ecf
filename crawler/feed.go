package crawler

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"golang.org/x/net/html/charset"
)

// feedDoc holds the item links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed;
// encoding/xml ignores everything else. A feed seed is thus a listing page
// whose links are its items. (Sitemaps come in a later issue.)
type feedDoc struct {
	RSSItems []struct {
		Link string `xml:"link"`
	} `xml:"channel>item"`
	RDFItems []struct {
		Link string `xml:"link"`
	} `xml:"item"`
	Entries []struct {
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

// feedLinks returns the item links of a feed, in document order.
func feedLinks(body []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charset.NewReaderLabel
	var doc feedDoc
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decoding feed: %w", err)
	}
	var links []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			links = append(links, s)
		}
	}
	for _, it := range doc.RSSItems {
		add(it.Link)
	}
	for _, it := range doc.RDFItems {
		add(it.Link)
	}
	for _, e := range doc.Entries {
		for _, l := range e.Links {
			if l.Rel == "" || l.Rel == "alternate" {
				add(l.Href)
			}
		}
	}
	return links, nil
}
