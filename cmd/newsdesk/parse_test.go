package main

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

// TestParseCommandTopicsAndEntities: `newsdesk parse` runs the same topic
// classifier as the crawler, and prints the entities; on the seed story
// the privacy and antitrust topics, Meta and Netflix and both fines.
func TestParseCommandTopicsAndEntities(t *testing.T) {
	page, err := os.ReadFile("../../parser/testdata/seed-meta-netflix.html")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runMain(t, string(page), "parse", "--config", writeConfig(t, "{}\n"),
		"--url", "https://www.privacyledger.example/articles/meta-netflix.html")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a news.Article
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatalf("output is not an article: %v\n%s", err, stdout)
	}
	for _, topic := range []string{"privacy", "antitrust"} {
		if !slices.Contains(a.Topics, topic) {
			t.Errorf("topics %v lack %s", a.Topics, topic)
		}
	}
	if a.Relevance < 0.5 || a.Relevance > 1 {
		t.Errorf("relevance %v: the seed story is squarely on a privacy desk's beat", a.Relevance)
	}
	kinds := map[string]news.EntityKind{}
	var money []string
	for _, e := range a.Entities {
		kinds[e.Name] = e.Kind
		if e.Kind == news.EntityMoney {
			money = append(money, e.Name)
		}
	}
	if kinds["Meta"] != news.EntityOrg || kinds["Netflix"] != news.EntityOrg {
		t.Errorf("entities %+v: want Meta and Netflix as organisations", a.Entities)
	}
	if !slices.Equal(money, []string{"$284 million", "$725 million"}) {
		t.Errorf("money %q, want exactly $284 million and $725 million", money)
	}
}

// TestParseCommandUsesTheConfig: topic rules and a source's extraction
// rules from the config reach `newsdesk parse`; a bad selector stops it
// with the key.
func TestParseCommandUsesTheConfig(t *testing.T) {
	page, err := os.ReadFile("../../parser/testdata/site-override-rail.html")
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, `topics:
  rules:
    - name: cameras
      keywords: [licence-plate cameras, cameras]
sources:
  - name: quayside
    seeds: [https://www.quayside.example/]
    extract:
      body: ['div.story-text']
      drop: ['aside.more-stories']
`)
	code, stdout, stderr := runMain(t, string(page), "parse", "--config", cfg, "--url", "https://www.quayside.example/news/camera-vote")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a news.Article
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Topics, []string{"cameras"}) {
		t.Errorf("topics %v, want the configured [cameras]", a.Topics)
	}
	if strings.Contains(a.Text, "Ferry operators") || !strings.HasPrefix(a.Text, "The harbour board") {
		t.Errorf("the source's extract rules were not applied:\n%s", a.Text)
	}

	bad := writeConfig(t, "sources:\n  - name: quayside\n    seeds: [https://www.quayside.example/]\n    extract:\n      body: ['div[']\n")
	code, _, stderr = runMain(t, string(page), "parse", "--config", bad)
	if code != exitUsage || !strings.Contains(stderr, "sources[0].extract.body[0]") {
		t.Errorf("exit %d, stderr %q: want a usage error naming sources[0].extract.body[0]", code, stderr)
	}
}

// `newsdesk parse --fetched T` reads a date printed only relative to the
// fetch against T and prints T as fetched_at; without it the output does
// not depend on the clock, so no published; a value it cannot read is a
// usage error naming the flag.
func TestParseCommandFetchedReadsRelativeDates(t *testing.T) {
	page := relativeDatePage("3 hours ago")
	for _, tc := range []struct {
		fetched            string
		published, fetchAt time.Time // zero: absent from the output
	}{
		{"2026-12-03T10:20:00Z", time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 10, 20, 0, 0, time.UTC)},
		{"2026-12-03T10:20:00+01:00", time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 9, 20, 0, 0, time.UTC)},
		{"2026-12-03", time.Date(2026, 12, 2, 21, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)},
		{"", time.Time{}, time.Time{}},
	} {
		args := []string{"parse", "--url", ledgerHost + "/fines"}
		if tc.fetched != "" {
			args = append(args, "--fetched", tc.fetched)
		}
		code, stdout, stderr := runMain(t, page, args...)
		if code != exitOK {
			t.Fatalf("--fetched %q: exit %d: %s", tc.fetched, code, stderr)
		}
		var a news.Article
		if err := json.Unmarshal([]byte(stdout), &a); err != nil {
			t.Fatalf("--fetched %q: output is not an article: %v\n%s", tc.fetched, err, stdout)
		}
		if !a.Published.Equal(tc.published) || !a.FetchedAt.Equal(tc.fetchAt) {
			t.Errorf("--fetched %q: published %v, fetched_at %v; want %v and %v", tc.fetched, a.Published, a.FetchedAt, tc.published, tc.fetchAt)
		}
	}

	code, stdout, stderr := runMain(t, page, "parse", "--fetched", "yesterday")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, `--fetched: "yesterday" is not an RFC 3339 time`) {
		t.Errorf("--fetched yesterday: exit %d, stdout %q, stderr %q; want exit 2 and the flag named", code, stdout, stderr)
	}
}

// --fetched now and --fetched 2h read the relative date against the clock
// of the run: a page saved two hours ago that said "1 hour ago" was
// published about three hours before now.
func TestParseCommandFetchedNowAndAgo(t *testing.T) {
	page := relativeDatePage("1 hour ago")
	for _, tc := range []struct {
		fetched string
		ago     time.Duration
	}{{"now", time.Hour}, {"2h", 3 * time.Hour}} {
		before := time.Now()
		code, stdout, stderr := runMain(t, page, "parse", "--fetched", tc.fetched)
		after := time.Now()
		if code != exitOK {
			t.Fatalf("--fetched %s: exit %d: %s", tc.fetched, code, stderr)
		}
		var a news.Article
		if err := json.Unmarshal([]byte(stdout), &a); err != nil {
			t.Fatal(err)
		}
		// "1 hour ago" is read to the hour: published is the hour it fell in.
		earliest, latest := before.Add(-tc.ago).Truncate(time.Hour), after.Add(-tc.ago)
		if a.Published.Before(earliest) || a.Published.After(latest) {
			t.Errorf("--fetched %s: published %v, want between %v and %v", tc.fetched, a.Published, earliest, latest)
		}
	}
}
