package archive

import (
	"os"
	"strings"
	"testing"
)

// TestLargePagesLeaveNoTemporaryFiles archives and reads back pages larger
// than the 1 MB gowarc keeps in memory per record, whose rest it spills to
// a temporary file: none may be left behind, or a crawl with an archive
// fills the disk's temporary directory page by page.
func TestLargePagesLeaveNoTemporaryFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where gowarc's buffers spill (os.TempDir)
	dir := t.TempDir()
	w, err := NewWriter(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	big := "<html><body><p>" + strings.Repeat("A long story. ", 110_000) + "</p></body></html>" // 1.5 MB
	for _, u := range []string{"https://ledger.example/a.html", "https://ledger.example/b.html"} {
		if _, err := w.Write(exchange(u, big)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := Files(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("files %v, %v; want one", files, err)
	}
	if recs, bad := readAll(t, files[0]); len(recs) != 2 || len(bad) != 0 || len(recs[1].Body) != len(big) {
		t.Fatalf("read back %d records (%d bad); want the 2 pages whole", len(recs), len(bad))
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if len(names) != 0 {
		t.Errorf("temporary files left behind: %v", names)
	}
}
