package main

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

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
