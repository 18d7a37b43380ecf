package parser

import (
	"os"
	"slices"
	"strings"
	"testing"
)

const quaysideURL = "https://www.quayside.example/news/camera-vote"

var quaysideRules = SiteRules{
	Body:  []string{"div.story-body", "div.story-text"}, // the first matches nothing: the next is tried
	Walls: []string{"#qs-wall"},
	Drop:  []string{"aside.more-stories"},
}

// TestSiteRulesFixTheWrongBlock: on this page the story is a stack of
// <div> lines and the "more stories" rail below it is made of long
// paragraphs, so the generic scoring takes the rail. The site's rules
// name the body, the wall and the rail.
func TestSiteRulesFixTheWrongBlock(t *testing.T) {
	body, err := os.ReadFile("testdata/site-override-rail.html")
	if err != nil {
		t.Fatal(err)
	}
	const story = "The harbour board postponed a vote"
	generic, err := New(Options{}).Parse(quaysideURL, body)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if strings.Contains(generic.Text, story) && !strings.Contains(generic.Text, "Ferry operators") {
		t.Fatalf("the generic rules got this page right; the fixture no longer shows an override at work:\n%s", generic.Text)
	}

	p := New(Options{Sites: map[string]SiteRules{"www.quayside.example": quaysideRules}})
	a, err := p.Parse(quaysideURL, body)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !strings.HasPrefix(a.Text, story) || !strings.HasSuffix(a.Text, "a public register of searches.") {
		t.Errorf("Text =\n%s\nwant the four lines of the story", a.Text)
	}
	for _, s := range []string{"Ferry operators", "Subscribe", "More from"} {
		if strings.Contains(a.Text, s) {
			t.Errorf("Text contains %q", s)
		}
	}
	if !slices.Contains(a.Paywall.Signals, "wall:site") {
		t.Errorf("signals %v lack wall:site", a.Paywall.Signals)
	}

	// Rules apply to their host only.
	other, _ := p.Parse("https://quayside.example/news/camera-vote", body)
	if other.Text != generic.Text {
		t.Error("the rules of www.quayside.example were applied to quayside.example")
	}
}

func TestSiteRulesCheck(t *testing.T) {
	if err := (Options{Sites: map[string]SiteRules{"a.example": quaysideRules}}).Check(); err != nil {
		t.Errorf("valid rules: %v", err)
	}
	err := Options{Sites: map[string]SiteRules{"a.example": {Walls: []string{"div.ok", "div["}}}}.Check()
	if err == nil || !strings.Contains(err.Error(), "site a.example: walls[1]: \"div[\"") {
		t.Errorf("Check = %v, want it to name the host, the field and the selector", err)
	}
	// An invalid selector that slipped through is ignored, not a panic.
	New(Options{Sites: map[string]SiteRules{"a.example": {Body: []string{"div["}}}}).Parse("https://a.example/x", []byte("<p>x</p>"))
}
