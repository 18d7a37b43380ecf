package crawler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"newsdesk/news"
)

// memArchiver records what a pass archives and hands out refs in order.
type memArchiver struct {
	mu  sync.Mutex
	got []Exchange
}

func (m *memArchiver) Archive(ex Exchange) (news.ArchiveRef, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.got = append(m.got, ex)
	return news.ArchiveRef{File: "test.warc.gz", Offset: int64(len(m.got)), RecordID: "<urn:uuid:" + ex.URL + ">"}, nil
}

// TestArchiveGetsEveryPageAsServedAndEventsNameTheirRecord crawls a site of
// one listing and three stories, one served gzipped in ISO-8859-1: every
// page reaches the Archiver with its request headers, the status, the
// Content-Type with its charset and the wire encoding as
// X-Crawler-Content-Encoding, the body decoded; each article event names
// the record of its own page, though the pages are fetched concurrently
// and share colly's context.
func TestArchiveGetsEveryPageAsServedAndEventsNameTheirRecord(t *testing.T) {
	gzipped := func(w http.ResponseWriter, _ *http.Request) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		fmt.Fprint(zw, "<html><head><title>Caf\xe9</title></head><body><article data-kind=\"article\"><p>Text.</p></article></body></html>")
		zw.Close()
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(buf.Bytes())
	}
	site := newSite(t, map[string]http.HandlerFunc{
		"/":           listing("/a", "/b", "/c"),
		"/a":          story("A", ""),
		"/b":          story("B", ""),
		"/c":          gzipped,
		"/robots.txt": text(""),
	})
	arch := &memArchiver{}
	opts := testOptions()
	opts.Archive = arch
	opts.Parallelism = 3
	sum, _, pub, err := crawl(t, opts, Source{Name: "site", Seeds: []string{site.URL + "/"}})
	if err != nil || sum.Articles != 3 {
		t.Fatalf("crawl: %s, %v; want 3 articles", sum, err)
	}
	byURL := map[string]Exchange{}
	for _, ex := range arch.got {
		byURL[ex.URL] = ex
	}
	if len(byURL) != 4 {
		t.Fatalf("archived %d pages, want the listing and 3 stories", len(byURL))
	}
	c := byURL[site.URL+"/c"]
	if c.Status != 200 || c.ResponseHeader.Get("Content-Type") != "text/html; charset=iso-8859-1" ||
		c.ResponseHeader.Get("X-Crawler-Content-Encoding") != "gzip" || c.ResponseHeader.Get(headerCharset) != "" ||
		!strings.Contains(string(c.Body), "Caf\xe9") || c.RequestHeader.Get("User-Agent") != testUA || c.RequestHeader.Get("Accept-Encoding") == "" {
		t.Errorf("archived /c: status %d, response %v, request %v, body %q", c.Status, c.ResponseHeader, c.RequestHeader, c.Body)
	}
	for _, ev := range pub.all() {
		if ev.Data.Archive == nil || ev.Data.Archive.RecordID != "<urn:uuid:"+ev.Data.URL+">" {
			t.Errorf("event for %s names record %+v", ev.Data.URL, ev.Data.Archive)
		}
	}
}
