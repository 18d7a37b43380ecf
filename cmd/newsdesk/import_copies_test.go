package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/archive"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// TestImportComparesLaterCopiesOfAStoryWithTheFirst imports one WARC with
// three copies of a story: as first fetched, the same again, and edited. As
// in separate imports, the repeat is counted unchanged and the edit is an
// "updated" event (revision 2, changes text); nothing is dropped unseen.
// One worker, so the copies are handled in the file's order.
func TestImportComparesLaterCopiesOfAStoryWithTheFirst(t *testing.T) {
	natsURL := testenv.NATS(t)
	story, err := os.ReadFile(filepath.Join(buildSite(t), "articles/meta-netflix.html"))
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(story, []byte("Sarah Grabert"), []byte("Sarah Grabert, both of California,"), 1)
	if bytes.Equal(edited, story) {
		t.Fatal("the story's text to edit is gone")
	}
	dir := t.TempDir()
	w, err := archive.NewWriter(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	u := ledgerHost + "/articles/meta-netflix.html"
	for i, body := range [][]byte{story, story, edited} {
		if _, err := w.Write(archive.Exchange{URL: u, Status: 200, Body: body,
			ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			Date:           time.Date(2026, 11, 30, 9+i, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runMain(t, "", "import", "--workers", "1", "--config", importConfig(t, natsURL), dir)
	if code != exitOK || !strings.Contains(stdout, "records=3 html=3 articles=2 updated=1 unchanged=1 ") {
		t.Fatalf("exit %d, summary %q; want 2 events (1 an update) and 1 unchanged\nstderr: %s", code, stdout, stderr)
	}
	evs := streamEvents(t, natsURL)
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	first, _ := evs[0].Kind()
	second, _ := evs[1].Kind()
	if first != news.ArticleCreated || second != news.ArticleUpdated || evs[1].Data.Revision != 2 ||
		evs[0].Data.ID != evs[1].Data.ID || strings.Join(evs[1].Data.Changes, ",") != news.ChangeText {
		t.Errorf("events %s rev %d, %s rev %d changes %v; want created 1, then updated 2 with changes [%s] of the same story",
			evs[0].Type, evs[0].Data.Revision, evs[1].Type, evs[1].Data.Revision, evs[1].Data.Changes, news.ChangeText)
	}
	if !strings.Contains(evs[1].Data.Text, "both of California") {
		t.Errorf("the update does not carry the edited text")
	}
}
