package archive_test

import (
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/archive"
	"newsdesk/archive/archivetest"
)

// writeWARC writes three pages with the archive's writer (gzip per record)
// and returns the file.
func writeWARC(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	w, err := archive.NewWriter(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range []string{"a", "b", "c"} {
		if _, err := w.Write(archive.Exchange{URL: "https://ledger.example/" + p + ".html", Method: http.MethodGet,
			Status: 200 + 204*(i/2), ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			Body: page(p, uint64(i)), Date: time.Date(2026, 11, 30, 9, i, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := archive.Files(dir)
	return files[0]
}

// page is an HTML page of varied words, compressing about as a real page
// does: a gzip stream of several pages spans several deflate blocks, so
// one cut short still gives the pages before the cut.
func page(name string, seed uint64) []byte {
	rnd := rand.New(rand.NewPCG(seed, 17))
	var b strings.Builder
	b.WriteString("<html><title>" + name + "</title><p>")
	for range 6000 {
		b.WriteString(words[rnd.IntN(len(words))] + " ")
	}
	return []byte(b.String())
}

var words = strings.Fields("ledger council harbour budget minister vote tariff court ruling bridge river school nurse strike energy grid wind solar price index market bank rate inflation election")

// formats builds every form import reads from one WARC: the writer's own
// (gzip per record), plain, gzipped as a whole, ARC and ARC gzipped per
// record.
func formats(t *testing.T) map[string]string {
	gz := writeWARC(t)
	dir := t.TempDir()
	out := map[string]string{"warc.gz per record": gz}
	plain := filepath.Join(dir, "plain.warc")
	archivetest.PlainWARC(t, gz, plain)
	out["warc"] = plain
	whole := filepath.Join(dir, "whole.warc.gz")
	archivetest.WholeGzip(t, plain, whole)
	out["warc.gz whole"] = whole
	arc := filepath.Join(dir, "old.arc")
	archivetest.ARC(t, gz, arc, false)
	out["arc"] = arc
	arcgz := filepath.Join(dir, "old.arc.gz")
	archivetest.ARC(t, gz, arcgz, true)
	out["arc.gz per record"] = arcgz
	wholeARC := filepath.Join(dir, "whole-arc.arc.gz")
	archivetest.WholeGzip(t, arc, wholeARC)
	out["arc.gz whole"] = wholeARC
	return out
}

func read(t *testing.T, path string) (recs []archive.Record, bad []archive.BadRecord) {
	t.Helper()
	r := &archive.Reader{Bad: func(b archive.BadRecord) { bad = append(bad, b) }}
	if err := r.ReadFile(path, func(rec archive.Record) error { recs = append(recs, rec); return nil }); err != nil {
		t.Fatal(err)
	}
	return recs, bad
}

// TestEveryFormatReadsTheSamePages reads the same three pages from each
// form: URL, status, content type, body and fetch date as written, and
// an id of the <...> form for each record.
func TestEveryFormatReadsTheSamePages(t *testing.T) {
	want, _ := read(t, writeWARC(t))
	for name, path := range formats(t) {
		t.Run(name, func(t *testing.T) {
			got, bad := read(t, path)
			if len(bad) != 0 || len(got) != len(want) {
				t.Fatalf("%d records, bad %v; want %d, none bad", len(got), bad, len(want))
			}
			for i, w := range want {
				g := got[i]
				if g.URL != w.URL || g.Status != w.Status || string(g.Body) != string(w.Body) || !g.Date.Equal(w.Date) ||
					!strings.HasPrefix(g.Header.Get("Content-Type"), "text/html") {
					t.Errorf("record %d: %s %d %s %q (%d bytes); want %s %d %s (%d bytes)", i, g.URL, g.Status, g.Date, g.Header.Get("Content-Type"), len(g.Body), w.URL, w.Status, w.Date, len(w.Body))
				}
				if !strings.HasPrefix(g.RecordID, "<") || !strings.HasSuffix(g.RecordID, ">") {
					t.Errorf("record %d: id %q", i, g.RecordID)
				}
			}
		})
	}
}

// TestEveryFormatCutShortKeepsWhatCameBefore cuts each form in the middle
// of its last page: the pages before it are read, the cut one is one bad
// record, reported as truncated.
func TestEveryFormatCutShortKeepsWhatCameBefore(t *testing.T) {
	for name, path := range formats(t) {
		t.Run(name, func(t *testing.T) {
			whole, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			recs, _ := read(t, path)
			last := int(recs[len(recs)-1].Offset)
			cutAt := last + (len(whole)-last)/2
			if strings.Contains(name, "whole") { // offsets count decompressed bytes
				cutAt = len(whole) * 5 / 6 // inside the last page, as each page is a third
			}
			cut := filepath.Join(t.TempDir(), "cut-"+filepath.Base(path))
			if err := os.WriteFile(cut, whole[:cutAt], 0o644); err != nil {
				t.Fatal(err)
			}
			got, bad := read(t, cut)
			if len(got) != len(recs)-1 || len(bad) != 1 || bad[0].File != cut || !strings.Contains(bad[0].Error(), "truncated") {
				t.Errorf("%d records, bad %v; want %d and one truncated record", len(got), bad, len(recs)-1)
			}
		})
	}
}

// TestCorruptRecordIsSkippedAndTheRestRead garbles the header of the
// middle page in the uncompressed forms and the gzip member of the middle
// page in the per-record ones: that page is one bad record at its offset,
// the pages around it are read.
func TestCorruptRecordIsSkippedAndTheRestRead(t *testing.T) {
	for name, path := range formats(t) {
		if strings.Contains(name, "whole") {
			continue // nothing after a corrupt spot of one gzip stream can be read
		}
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			recs, _ := read(t, path)
			mid := recs[1].Offset
			copy(b[mid:], "GARBAGE!")
			if strings.HasSuffix(name, "per record") {
				copy(b[mid:], "\x1f\x8b\x08\x00GARBAGEGARBAGE") // a member that does not inflate
			}
			bad := filepath.Join(t.TempDir(), "bad-"+filepath.Base(path))
			if err := os.WriteFile(bad, b, 0o644); err != nil {
				t.Fatal(err)
			}
			got, badRecs := read(t, bad)
			if len(got) != 2 || got[0].URL != recs[0].URL || got[1].URL != recs[2].URL {
				t.Errorf("read %d records %v; want the first and the last", len(got), urls(got))
			}
			if len(badRecs) != 1 || badRecs[0].Offset != mid {
				t.Errorf("bad records %v; want one at offset %d", badRecs, mid)
			}
		})
	}
}

func urls(recs []archive.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.URL)
	}
	return out
}
