package topics

import (
	"encoding/json"
	"os"
	"testing"

	"newsdesk/news"
)

// labelled is one story of testdata/labelled.json, marked on or off the
// tech-privacy beat by hand, in German, French, Spanish and English.
type labelled struct {
	On          bool     `json:"on"`
	Lang        string   `json:"lang"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Section     string   `json:"section"`
	Tags        []string `json:"tags"`
	Text        string   `json:"text"`
}

// TestDefaultsOnLabelledStories measures the default rules on the labelled
// set: how many on-topic stories they drop and how many off-topic ones
// they let through. Both must be zero.
func TestDefaultsOnLabelledStories(t *testing.T) {
	raw, err := os.ReadFile("testdata/labelled.json")
	if err != nil {
		t.Fatal(err)
	}
	var set []labelled
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("testdata/labelled.json: %v", err)
	}
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	var on, off, dropped, passed int
	for _, s := range set {
		got, _ := c.Classify(news.Article{Title: s.Title, Description: s.Description, Section: s.Section, Tags: s.Tags, Text: s.Text, Language: s.Lang})
		switch {
		case s.On:
			on++
			if len(got) == 0 {
				dropped++
				t.Errorf("on-topic story dropped (%s): %q", s.Lang, s.Title)
			}
		default:
			off++
			if len(got) > 0 {
				passed++
				t.Errorf("off-topic story passed as %v (%s): %q", got, s.Lang, s.Title)
			}
		}
	}
	t.Logf("labelled set: %d/%d on-topic stories dropped, %d/%d off-topic stories passed", dropped, on, passed, off)
}
