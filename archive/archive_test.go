package archive

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func exchange(u, body string) Exchange {
	return Exchange{
		URL: u, Method: http.MethodGet,
		RequestHeader:  http.Header{"User-Agent": {"newsdesk-test"}},
		Status:         200,
		ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "X-Crawler-Content-Encoding": {"gzip"}},
		Body:           []byte(body),
		Date:           time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
	}
}

// readAll reads every response record of a file, and the bad ones.
func readAll(t *testing.T, path string) (recs []Record, bad []BadRecord) {
	t.Helper()
	r := &Reader{Bad: func(b BadRecord) { bad = append(bad, b) }}
	if err := r.ReadFile(path, func(rec Record) error { recs = append(recs, rec); return nil }); err != nil {
		t.Fatal(err)
	}
	return recs, bad
}

// TestWrittenExchangesReadBackWithTheirRefs writes two exchanges and reads
// them back: same URL, status, headers and body, at the offset and under the
// record id Write returned, in a file named by the WARC convention.
func TestWrittenExchangesReadBackWithTheirRefs(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.Write(exchange("https://ledger.example/a.html", "<p>first</p>"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.Write(exchange("https://ledger.example/b.html", "<p>second</p>"))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := Files(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("files %v, %v; want one", files, err)
	}
	name := filepath.Base(files[0])
	if a.File != name || b.File != name || !strings.HasPrefix(name, Prefix+"-") || !strings.HasSuffix(name, ".warc.gz") {
		t.Errorf("refs name %q and %q, file is %q; want newsdesk-TIMESTAMP-SERIAL-HOST.warc.gz", a.File, b.File, name)
	}
	recs, bad := readAll(t, files[0])
	if len(bad) != 0 || len(recs) != 2 {
		t.Fatalf("read %d records, bad %v; want 2, none bad", len(recs), bad)
	}
	for i, want := range []struct {
		url, body string
		offset    int64
		id        string
	}{{"https://ledger.example/a.html", "<p>first</p>", a.Offset, a.RecordID}, {"https://ledger.example/b.html", "<p>second</p>", b.Offset, b.RecordID}} {
		got := recs[i]
		if got.URL != want.url || string(got.Body) != want.body || got.Status != 200 || got.Offset != want.offset || got.RecordID != want.id {
			t.Errorf("record %d: %s %d %q at %d %s; want %s %q at %d %s", i, got.URL, got.Status, got.Body, got.Offset, got.RecordID, want.url, want.body, want.offset, want.id)
		}
		if got.Header.Get("Content-Type") != "text/html; charset=utf-8" || got.Header.Get("X-Crawler-Content-Encoding") != "gzip" {
			t.Errorf("record %d headers %v", i, got.Header)
		}
		if !got.Date.Equal(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)) {
			t.Errorf("record %d date %s", i, got.Date)
		}
	}
	// Each record is its own gzip member: one can be read from its offset.
	f, _ := os.ReadFile(files[0])
	zr, err := gzip.NewReader(bytes.NewReader(f[b.Offset:]))
	if err != nil {
		t.Fatalf("no gzip member at the offset of the second record: %v", err)
	}
	zr.Multistream(false)
	var head bytes.Buffer
	if _, err := head.ReadFrom(zr); err != nil || !strings.Contains(head.String(), "WARC-Type: response") || !strings.Contains(head.String(), b.RecordID) {
		t.Errorf("member at offset %d: %v\n%s", b.Offset, err, head.String())
	}
}

// TestTruncatedAndCorruptRecordsAreReportedAndSkipped cuts one file in the
// middle of its last record and garbles a record of another: each is one bad
// record with a reason, and every other record is read.
func TestTruncatedAndCorruptRecordsAreReportedAndSkipped(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	var refs []int64
	for _, p := range []string{"a", "b", "c"} {
		ref, err := w.Write(exchange("https://ledger.example/"+p+".html", strings.Repeat("<p>"+p+" words</p>", 200)))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref.Offset)
	}
	w.Close()
	files, _ := Files(dir)
	whole, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}

	truncated := filepath.Join(t.TempDir(), "truncated.warc.gz")
	os.WriteFile(truncated, whole[:refs[2]+40], 0o644)
	recs, bad := readAll(t, truncated)
	if len(recs) != 2 || len(bad) != 1 || !strings.Contains(bad[0].Error(), "truncated.warc.gz") {
		t.Errorf("truncated file: %d records, bad %v; want 2 and one bad naming the file", len(recs), bad)
	}

	corrupt := bytes.Clone(whole)
	for i := refs[1] + 20; i < refs[1]+60; i++ { // inside the second response's gzip data
		corrupt[i] ^= 0xff
	}
	path := filepath.Join(t.TempDir(), "corrupt.warc.gz")
	os.WriteFile(path, corrupt, 0o644)
	recs, bad = readAll(t, path)
	var urls []string
	for _, r := range recs {
		urls = append(urls, r.URL)
	}
	if len(bad) == 0 || len(recs) != 2 || urls[0] != "https://ledger.example/a.html" || urls[1] != "https://ledger.example/c.html" {
		t.Errorf("corrupt file: records %v, bad %v; want a and c, and b reported", urls, bad)
	}
}

// TestExpandReadsAListFile: @list.txt names files relative to itself.
func TestExpandReadsAListFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.warc.gz"), nil, 0o644)
	list := filepath.Join(dir, "list.txt")
	os.WriteFile(list, []byte("# CC-NEWS\nx.warc.gz\n\n/abs/y.warc.gz\n"), 0o644)
	got, err := Expand([]string{"@" + list})
	if err != nil || len(got) != 2 || got[0] != filepath.Join(dir, "x.warc.gz") || got[1] != "/abs/y.warc.gz" {
		t.Errorf("Expand: %v, %v", got, err)
	}
	if _, err := Expand([]string{filepath.Join(dir, "missing.warc")}); err == nil || !strings.Contains(err.Error(), "missing.warc") {
		t.Errorf("a missing file: %v; want an error naming it", err)
	}
}

// TestHeadersOnlyScanFindsTheSameRecords: the quick scan reports the same
// records (URL, offset, id, date) without their bodies.
func TestHeadersOnlyScanFindsTheSameRecords(t *testing.T) {
	dir := t.TempDir()
	w, _ := NewWriter(dir, 0)
	for _, p := range []string{"a", "b"} {
		if _, err := w.Write(exchange("https://ledger.example/"+p+".html", "<p>"+p+"</p>")); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	files, _ := Files(dir)
	full, _ := readAll(t, files[0])
	var quick []Record
	if err := (&Reader{HeadersOnly: true}).ReadFile(files[0], func(r Record) error { quick = append(quick, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(quick) != len(full) || len(quick) != 2 {
		t.Fatalf("quick scan found %d records, full read %d", len(quick), len(full))
	}
	for i := range quick {
		q, f := quick[i], full[i]
		if q.URL != f.URL || q.Offset != f.Offset || q.RecordID != f.RecordID || !q.Date.Equal(f.Date) || q.Body != nil {
			t.Errorf("record %d: quick %+v, full %+v", i, q, f)
		}
	}
}

// TestARCHeaderLines reads version 1 and version 2 header lines (the
// length is last in both) and refuses lines that are not headers.
func TestARCHeaderLines(t *testing.T) {
	for _, c := range []struct {
		line string
		ok   bool
		url  string
		n    int64
	}{
		{"http://www.dryswamp.edu:80/index.html 127.10.100.2 19961104142103 text/html 202\n", true, "http://www.dryswamp.edu:80/index.html", 202},
		{"http://www.archive.org/ 207.241.224.2 20080430204825 text/html 200 3ZBPP2VDNWTVZEWC5GRCOUKQVWB3SLVM - - 1234 IAH-20080430204825-00000-blackbook.arc 4321\n", true, "http://www.archive.org/", 4321},
		{"filedesc://IA-001102.arc 0 19960923142103 text/plain 76\n", true, "filedesc://IA-001102.arc", 76},
		{"<p>some words of a page that happen to be five</p>\n", false, "", 0},
		{"http://a.example/ 1.2.3.4 yesterday text/html 10\n", false, "", 0},
		{"http://a.example/ 1.2.3.4 19961104142103 text/html -1\n", false, "", 0},
	} {
		h, ok := parseARCHeader(c.line)
		if ok != c.ok || ok && (h.url != c.url || h.length != c.n) {
			t.Errorf("%q: %+v %v; want %s %d %v", c.line, h, ok, c.url, c.n, c.ok)
		}
	}
}
