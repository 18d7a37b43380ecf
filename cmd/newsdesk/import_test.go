package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/archive"
	"newsdesk/archive/archivetest"
	"newsdesk/internal/testenv"
	"newsdesk/news"
	"newsdesk/schemas/schematest"
)

// ledgerHost is where the WARC tests' pages claim to come from.
const ledgerHost = "https://ledger.example"

// writeSiteWARC archives the test site's pages (see buildSite) as if
// fetched from ledgerHost, plus a page of a host no source covers, an
// image and a 404, and returns the file.
func writeSiteWARC(t *testing.T) string {
	t.Helper()
	site := buildSite(t)
	dir := t.TempDir()
	w, err := archive.NewWriter(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	add := func(u string, status int, h http.Header, body []byte) {
		t.Helper()
		if _, err := w.Write(archive.Exchange{URL: u, Status: status, ResponseHeader: h, Body: body,
			Date: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"index.html", "articles/meta-netflix.html", "articles/encryption-law.html", "articles/tracking-fine.html"} {
		b, err := os.ReadFile(filepath.Join(site, p))
		if err != nil {
			t.Fatal(err)
		}
		add(ledgerHost+"/"+p, 200, html, b)
	}
	memo, _ := os.ReadFile(filepath.Join(site, "private/secret-memo.html"))
	add("https://elsewhere.example/memo.html", 200, html, memo)
	add(ledgerHost+"/logo.png", 200, http.Header{"Content-Type": {"image/png"}}, []byte("\x89PNG\r\n"))
	add(ledgerHost+"/gone.html", 404, html, []byte("<p>gone</p>"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := archive.Files(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("archive files %v, %v", files, err)
	}
	return files[0]
}

// importConfig is the config of `newsdesk import` against natsURL: the
// ledger source on ledgerHost.
func importConfig(t *testing.T, natsURL string) string {
	return writeConfig(t, fmt.Sprintf(`
data_dir: %s
nats:
  url: %s
sources:
  - name: ledger
    seeds: [%s/]
`, t.TempDir(), natsURL, ledgerHost))
}

// streamEvents reads every article event in the stream, oldest first.
func streamEvents(t *testing.T, natsURL string) []news.ArticleEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := articleStream(t, natsURL)
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []news.ArticleEvent
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		msg, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("event %d: %v", seq, err)
		}
		if err := schematest.Validate(msg.Data); err != nil { // data.archive included
			t.Errorf("event %d does not match its schema: %v\n%s", seq, err, msg.Data)
		}
		var ev news.ArticleEvent
		if err := json.Unmarshal(msg.Data, &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// TestImportWARCIsSearchableLikeACrawl imports a WARC of the test site into
// a running pipeline: the three stories become events (with data.archive
// naming their record), are indexed and found by search; the listing, the
// image, the 404 and the page of an unknown host are counted, not
// published; a second import publishes nothing.
func TestImportWARCIsSearchableLikeACrawl(t *testing.T) { importSearchable(t, "") }

// TestIntegrationImportWARCElasticsearch is the same import into a real
// Elasticsearch (NEWSDESK_TEST_ES_URL).
func TestIntegrationImportWARCElasticsearch(t *testing.T) {
	importSearchable(t, testenv.ElasticsearchURL(t))
}

func importSearchable(t *testing.T, esURL string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := testConfig(t, ledgerHost, esURL)
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	natsURL := p.nats.server.ClientURL()
	warc := writeSiteWARC(t)
	cfgPath := importConfig(t, natsURL)

	code, stdout, stderr := runMain(t, "", "import", "--config", cfgPath, warc)
	if code != exitOK {
		t.Fatalf("import: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, want := range []string{"import ok: ", "files=1 records=7 html=4 articles=3 updated=0 unchanged=0", "nosource=1 other=2 bad=0 errors=0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary %q lacks %q", stdout, want)
		}
	}
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatal(err)
	}
	for word, path := range map[string]string{"Grabert": "/articles/meta-netflix.html", "Harbourne": "/articles/encryption-law.html", "Brightwater": "/articles/tracking-fine.html"} {
		res := searchAPIFor(t, p.URL(), url.Values{"q": {word}})
		if res.Total != 1 || res.Hits[0].URL != ledgerHost+path || res.Hits[0].Source != "ledger" {
			t.Errorf("search %q: %+v; want the story at %s from ledger", word, res.Hits, path)
		}
	}
	if res := searchAPIFor(t, p.URL(), url.Values{"q": {"Quillfeather"}}); res.Total != 0 {
		t.Errorf("the page of a host no source covers was indexed: %+v", res.Hits)
	}

	evs := streamEvents(t, natsURL)
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	recs := map[string]archive.Record{}
	if err := (&archive.Reader{}).ReadFile(warc, func(r archive.Record) error { recs[r.RecordID] = r; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		a := ev.Data.Archive
		if a == nil || a.File != warc || recs[a.RecordID].URL != ev.Data.URL || recs[a.RecordID].Offset != a.Offset {
			t.Errorf("event for %s: archive %+v does not name its record in %s", ev.Data.URL, a, warc)
		}
		if k, _ := ev.Kind(); k != news.ArticleCreated || ev.Data.Revision != 1 || !ev.Data.FetchedAt.Equal(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)) {
			t.Errorf("event for %s: %s revision %d fetched %s; want created, 1, the record's date", ev.Data.URL, ev.Type, ev.Data.Revision, ev.Data.FetchedAt)
		}
	}

	code, stdout, _ = runMain(t, "", "import", "--config", cfgPath, warc)
	if code != exitOK || !strings.Contains(stdout, "articles=0 updated=0 unchanged=3") {
		t.Errorf("second import: exit %d, %q; want nothing published, 3 unchanged", code, stdout)
	}
	if n := streamMessages(t, natsURL); n != 3 {
		t.Errorf("after a second import the stream holds %d events, want 3", n)
	}
}

// TestImportReportsACorruptWARCAndImportsTheRest imports a list of two
// files: a copy of the site's WARC cut in the middle of a story's record,
// and an intact WARC of the other stories. The cut record is reported
// with the file; everything else is imported and the exit status is 0.
func TestImportReportsACorruptWARCAndImportsTheRest(t *testing.T) {
	natsURL := testenv.NATS(t)
	warc := writeSiteWARC(t)
	whole, err := os.ReadFile(warc)
	if err != nil {
		t.Fatal(err)
	}
	var offsets []int64
	(&archive.Reader{}).ReadFile(warc, func(r archive.Record) error { offsets = append(offsets, r.Offset); return nil })
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.warc.gz")
	// records: index, meta-netflix, encryption-law, ...; cut inside encryption-law
	if err := os.WriteFile(cut, whole[:offsets[2]+100], 0o644); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "list.txt")
	os.WriteFile(list, []byte("cut.warc.gz\n"+warc+"\n"), 0o644)

	code, stdout, stderr := runMain(t, "", "import", "--config", importConfig(t, natsURL), "@"+list)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "files=2") || !strings.Contains(stdout, "articles=3") || strings.Contains(stdout, "bad=0") {
		t.Errorf("summary %q; want 2 files, 3 articles and the bad record counted", stdout)
	}
	if !strings.Contains(stderr, "bad WARC record skipped") || !strings.Contains(stderr, "cut.warc.gz") {
		t.Errorf("the cut record was not reported with its file:\n%s", stderr)
	}
	if n := streamMessages(t, natsURL); n != 3 {
		t.Errorf("the stream holds %d events, want 3", n)
	}
}

// TestArchivedCrawlReparsesOnlyWhatTheNewRuleChanges crawls the test site
// with crawl.archive set, then reparses: with the same rules nothing is
// published; after a drop rule that removes a paragraph of one story,
// exactly that story gets an "updated" event (revision 2, changes text),
// without a single request to the site.
func TestArchivedCrawlReparsesOnlyWhatTheNewRuleChanges(t *testing.T) {
	site := newTestSite(t)
	natsURL := testenv.NATS(t)
	archiveDir := t.TempDir()
	base := fmt.Sprintf(`
data_dir: %s
nats:
  url: %s
crawl:
  delay: 0s
  allow_private_networks: true
  archive: %s
sources:
  - name: ledger
    seeds: [%s/]
`, t.TempDir(), natsURL, archiveDir, site.URL)
	cfgPath := writeConfig(t, base)
	code, stdout, stderr := runMain(t, "", "crawl", "--once", "--config", cfgPath)
	if code != exitOK || !strings.Contains(stdout, "articles=3") {
		t.Fatalf("crawl: exit %d, %q\n%s", code, stdout, stderr)
	}

	// Every event names its record: the file in the archive, the offset
	// and the record id of the page's response.
	files, err := archive.Files(archiveDir)
	if err != nil || len(files) == 0 {
		t.Fatalf("archive: %v, %v", files, err)
	}
	byID := map[string]archive.Record{}
	for _, f := range files {
		(&archive.Reader{}).ReadFile(f, func(r archive.Record) error { r.File = filepath.Base(r.File); byID[r.RecordID] = r; return nil })
	}
	for _, ev := range streamEvents(t, natsURL) {
		a := ev.Data.Archive
		if a == nil {
			t.Fatalf("event for %s carries no data.archive", ev.Data.URL)
		}
		rec := byID[a.RecordID]
		if rec.URL != ev.Data.URL || rec.File != a.File || rec.Offset != a.Offset || !strings.Contains(string(rec.Body), "<html") {
			t.Errorf("event for %s: archive %+v, record found %s in %s at %d", ev.Data.URL, a, rec.URL, rec.File, rec.Offset)
		}
	}

	requests := func() int { site.mu.Lock(); defer site.mu.Unlock(); return len(site.requests) }
	before := requests()
	code, stdout, stderr = runMain(t, "", "reparse", "--config", cfgPath)
	if code != exitOK || !strings.Contains(stdout, "articles=0 updated=0 unchanged=3") {
		t.Fatalf("reparse with the same rules: exit %d, %q; want nothing published\n%s", code, stdout, stderr)
	}

	drop := base + `    extract:
      drop: [".article-content > p:nth-of-type(2)"]
`
	if err := os.WriteFile(cfgPath, []byte(drop), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runMain(t, "", "reparse", "--config", cfgPath)
	if code != exitOK || !strings.Contains(stdout, "articles=1 updated=1 unchanged=2") {
		t.Fatalf("reparse with a drop rule: exit %d, %q; want one story updated\n%s", code, stdout, stderr)
	}
	if n := requests(); n != before {
		t.Errorf("reparse made %d requests to the site", n-before)
	}
	evs := streamEvents(t, natsURL)
	if len(evs) != 4 {
		t.Fatalf("%d events, want 3 created and 1 updated", len(evs))
	}
	ev := evs[3]
	if k, _ := ev.Kind(); k != news.ArticleUpdated || ev.Data.Revision != 2 || !slices.Equal(ev.Data.Changes, []string{news.ChangeText}) ||
		ev.Data.URL != site.URL+"/articles/encryption-law.html" || strings.Contains(ev.Data.Text, "312 votes") {
		t.Errorf("updated event: %s rev %d changes %v for %s; want encryption-law, rev 2, [text], without the dropped paragraph", ev.Type, ev.Data.Revision, ev.Data.Changes, ev.Data.URL)
	}
	if ev.Data.Archive == nil || byID[ev.Data.Archive.RecordID].URL != ev.Data.URL {
		t.Errorf("updated event's archive %+v does not name the record it was re-extracted from", ev.Data.Archive)
	}
}

// TestImportSinceSkipsOlderRecordsAndSourceNamesThePages: --since leaves
// out records fetched before it; --source attributes every page, whatever
// its host, to the named source.
func TestImportSinceSkipsOlderRecordsAndSourceNamesThePages(t *testing.T) {
	natsURL := testenv.NATS(t)
	warc := writeSiteWARC(t) // fetched 2026-11-30T09:00Z
	cfgPath := importConfig(t, natsURL)

	code, stdout, stderr := runMain(t, "", "import", "--config", cfgPath, "--since", "2026-12-01", warc)
	if code != exitOK || !strings.Contains(stdout, "records=7 html=0 articles=0") || !strings.Contains(stdout, "old=7") {
		t.Fatalf("--since after the records: exit %d, %q; want all 7 old, nothing published\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = runMain(t, "", "import", "--config", cfgPath, "--source", "ledger", "--since", "2026-11-30", warc)
	if code != exitOK || !strings.Contains(stdout, "html=5 articles=4") || !strings.Contains(stdout, "nosource=0") {
		t.Fatalf("--source ledger: exit %d, %q; want the other host's memo published too\n%s", code, stdout, stderr)
	}
	var memo bool
	for _, ev := range streamEvents(t, natsURL) {
		if ev.Data.URL == "https://elsewhere.example/memo.html" && ev.Data.Source == "ledger" {
			memo = true
		}
	}
	if !memo {
		t.Error("the page of another host was not published as ledger's")
	}
}

// TestImportReadsEveryArchiveForm imports the site's WARC in each other
// form import reads (plain, gzipped as a whole, ARC, ARC gzipped per
// record or as a whole): each gives the three stories as events naming
// the file, the same summary as the WARC. The forms whose offsets are
// file offsets are also imported cut inside the second story first: the
// story before the cut is published, the cut one is a bad record, and
// the intact file then brings the other two.
func TestImportReadsEveryArchiveForm(t *testing.T) {
	gz := writeSiteWARC(t)
	dir := t.TempDir()
	plain := filepath.Join(dir, "site.warc")
	archivetest.PlainWARC(t, gz, plain)
	arc := filepath.Join(dir, "site.arc")
	arcOffsets := archivetest.ARC(t, gz, arc, false)
	arcgz := filepath.Join(dir, "site.arc.gz")
	arcgzOffsets := archivetest.ARC(t, gz, arcgz, true)
	whole := filepath.Join(dir, "whole.warc.gz")
	archivetest.WholeGzip(t, plain, whole)
	wholeARC := filepath.Join(dir, "whole.arc.gz")
	archivetest.WholeGzip(t, arc, wholeARC)
	var warcOffsets []int64
	(&archive.Reader{}).ReadFile(plain, func(r archive.Record) error { warcOffsets = append(warcOffsets, r.Offset); return nil })

	// records: index, meta-netflix, encryption-law, tracking-fine, memo, logo, 404
	for _, c := range []struct {
		name, path string
		offsets    []int64 // of the responses, when a cut copy is imported first
	}{
		{"warc", plain, warcOffsets}, {"arc", arc, arcOffsets}, {"arc.gz per record", arcgz, arcgzOffsets},
		{"warc.gz whole", whole, nil}, {"arc.gz whole", wholeARC, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			natsURL := testenv.NATS(t)
			cfg := importConfig(t, natsURL)
			want := 3
			if c.offsets != nil {
				b, _ := os.ReadFile(c.path)
				cut := filepath.Join(t.TempDir(), "cut-"+filepath.Base(c.path))
				os.WriteFile(cut, b[:(c.offsets[2]+c.offsets[3])/2], 0o644)
				code, stdout, stderr := runMain(t, "", "import", "--config", cfg, cut)
				if code != exitOK || !strings.Contains(stdout, "articles=1 ") || !strings.Contains(stdout, "bad=1 ") ||
					!strings.Contains(stderr, "bad WARC record skipped") || !strings.Contains(stderr, "truncated") {
					t.Errorf("cut copy: exit %d, %q; want one story, one bad record reported as truncated\n%s", code, stdout, stderr)
				}
				want = 2
			}
			code, stdout, stderr := runMain(t, "", "import", "--config", cfg, c.path)
			if code != exitOK || !strings.Contains(stdout, fmt.Sprintf("records=7 html=4 articles=%d ", want)) || !strings.Contains(stdout, "nosource=1 other=2 bad=0 errors=0") {
				t.Fatalf("import: exit %d, %q; want 7 records, %d new stories, nothing bad\n%s", code, stdout, want, stderr)
			}
			evs := streamEvents(t, natsURL) // each matches the schema, data.archive included
			var got []string
			for _, ev := range evs {
				got = append(got, strings.TrimPrefix(ev.Data.URL, ledgerHost))
				if ev.Data.Archive == nil || filepath.Base(ev.Data.Archive.File) != "cut-"+filepath.Base(c.path) && ev.Data.Archive.File != c.path {
					t.Errorf("event for %s: archive %+v; want the file it came from", ev.Data.URL, ev.Data.Archive)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, []string{"/articles/encryption-law.html", "/articles/meta-netflix.html", "/articles/tracking-fine.html"}) {
				t.Errorf("events for %v; want the three stories", got)
			}
		})
	}
}
