package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"newsdesk/archive"
)

// TestImportReadsEveryHTTPHeaderAndTheWholeBody checks what the import
// reader makes of a response record's HTTP block, which it parses itself
// (see archive.Reader): the status, every header, one longer than a read
// buffer included, and the body byte for byte, of a response and of a 404.
func TestImportReadsEveryHTTPHeaderAndTheWholeBody(t *testing.T) {
	dir := t.TempDir()
	w, err := archive.NewWriter(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.TrimSuffix(strings.Repeat("<https://ledger.example/a>; rel=preload, ", 500), ", ") // ~20 KB, one line
	body := bytes.Repeat([]byte("<p>Lorem ipsum dolor sit amet.</p>\n"), 3000)
	pages := []archive.Exchange{
		{URL: ledgerHost + "/a.html", Status: 200, Body: body, ResponseHeader: http.Header{
			"Content-Type": {"text/html; charset=utf-8"}, "Link": {long}, "Etag": {`"v1"`}}},
		{URL: ledgerHost + "/gone.html", Status: 404, Body: []byte("gone"), ResponseHeader: http.Header{"Content-Type": {"text/plain"}}},
	}
	for _, ex := range pages {
		if _, err := w.Write(ex); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := archive.Files(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("archive files %v, %v", files, err)
	}
	var got []archive.Record
	r := &archive.Reader{Bad: func(b archive.BadRecord) { t.Errorf("bad record: %v", b) }}
	if err := r.ReadFile(files[0], func(rec archive.Record) error { got = append(got, rec); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(pages) {
		t.Fatalf("read %d records, want %d", len(got), len(pages))
	}
	for i, want := range pages {
		rec := got[i]
		if rec.URL != want.URL || rec.Status != want.Status || !bytes.Equal(rec.Body, want.Body) {
			t.Errorf("record %d: %s status %d, %d bytes; want %s status %d, %d bytes",
				i, rec.URL, rec.Status, len(rec.Body), want.URL, want.Status, len(want.Body))
		}
		for k, v := range want.ResponseHeader {
			if g := rec.Header.Get(k); g != v[0] {
				t.Errorf("record %d: header %s = %.60q, want %.60q", i, k, g, v[0])
			}
		}
	}
}
