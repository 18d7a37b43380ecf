// Package archivetest turns a WARC file into the other forms import
// reads (plain, gzipped as a whole, ARC, ARC gzipped per record), so tests
// can build every form from the same fixtures.
package archivetest

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	"newsdesk/archive"
)

// PlainWARC writes the records of a WARC file gzipped per record to out,
// uncompressed.
func PlainWARC(t testing.TB, gz, out string) {
	t.Helper()
	f, err := os.Open(gz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f) // multistream: every member in turn
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, zr); err != nil {
		t.Fatal(err)
	}
	write(t, out, buf.Bytes())
}

// WholeGzip gzips the file at in as one stream, as `gzip` does.
func WholeGzip(t testing.TB, in, out string) {
	t.Helper()
	raw, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	write(t, out, gzipped(raw))
}

// ARC writes the HTTP responses of a WARC file as an ARC v1 file, each
// record in a gzip member of its own when perRecordGzip (as the Internet
// Archive wrote them). It returns the offset of each response record.
func ARC(t testing.TB, warc, out string, perRecordGzip bool) []int64 {
	t.Helper()
	var recs []archive.Record
	if err := (&archive.Reader{}).ReadFile(warc, func(r archive.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	var offsets []int64
	add := func(url, date, ctype string, content []byte) {
		rec := fmt.Appendf(nil, "%s 192.0.2.1 %s %s %d\n", url, date, ctype, len(content))
		rec = append(append(rec, content...), '\n')
		offsets = append(offsets, int64(file.Len()))
		if perRecordGzip {
			rec = gzipped(rec)
		}
		file.Write(rec)
	}
	desc := "1 0 newsdesk-test\nURL IP-address Archive-date Content-type Archive-length\n"
	add("filedesc://"+out, "20261130090000", "text/plain", []byte(desc))
	for _, r := range recs {
		var resp bytes.Buffer
		fmt.Fprintf(&resp, "HTTP/1.1 %d %s\r\n", r.Status, http.StatusText(r.Status))
		keys := make([]string, 0, len(r.Header))
		for k := range r.Header {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, v := range r.Header[k] {
				fmt.Fprintf(&resp, "%s: %s\r\n", k, v)
			}
		}
		fmt.Fprintf(&resp, "Content-Length: %d\r\n\r\n", len(r.Body))
		resp.Write(r.Body)
		ctype, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";") // one field: no parameters
		add(r.URL, r.Date.UTC().Format("20060102150405"), cmp.Or(strings.TrimSpace(ctype), "no-type"), resp.Bytes())
	}
	write(t, out, file.Bytes())
	return offsets[1:]
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func write(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
