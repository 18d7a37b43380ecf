package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdesk/archive"
	"newsdesk/internal/testenv"
)

// A page that prints its date only as "2 hours ago" gets its publication
// time from when it was fetched; imported from a WARC that is the record's
// WARC-Date, not the time of the import.
func TestImportReadsARelativeDateAgainstTheWARCDate(t *testing.T) {
	fetched := time.Date(2026, 11, 30, 9, 40, 0, 0, time.UTC)
	text := strings.Repeat("<p>The data protection regulator fined the advertising company for tracking users across websites without consent, a breach of the GDPR and of the new privacy law.</p>", 6)
	page := `<!doctype html><html lang="en"><head><title>Regulator fines ad company over tracking</title></head><body><article>
<h1>Regulator fines ad company over tracking</h1><p class="meta">By Anna Smith · <span class="date">2 hours ago</span></p>` + text + `</article></body></html>`
	dir := t.TempDir()
	w, err := archive.NewWriter(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(archive.Exchange{URL: ledgerHost + "/datenschutz", Status: 200,
		ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte(page), Date: fetched}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := archive.Files(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("archive files %v, %v", files, err)
	}
	natsURL := testenv.NATS(t)
	code, stdout, stderr := runMain(t, "", "import", "--config", importConfig(t, natsURL), files[0])
	if code != exitOK || !strings.Contains(stdout, "articles=1") {
		t.Fatalf("exit %d, %q; want one article\n%s", code, stdout, stderr)
	}
	evs := streamEvents(t, natsURL)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	if want := time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC); !evs[0].Data.Published.Equal(want) {
		t.Errorf("published %v, want %v: two hours before the WARC-Date, to the hour", evs[0].Data.Published, want)
	}
}
