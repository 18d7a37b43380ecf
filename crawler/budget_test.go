package crawler

import (
	"fmt"
	"net/http"
	"testing"
)

// A source whose sitemap index lists far more pages than the pass may
// fetch must not spend the other sources' pages: each has its share.
func TestFanOutSitemapLeavesOtherSourcesTheirShare(t *testing.T) {
	var fanBase string
	fan := newSite(t, fanOut(&fanBase, 50, 200))
	fanBase = fan.URL
	normal := func(name string) (*testSite, []string) {
		routes := map[string]http.HandlerFunc{
			"/":        listing("/section"),
			"/section": listing("/s/1", "/s/2", "/s/3", "/s/4", "/s/5"),
		}
		var titles []string
		for i := 1; i <= 5; i++ {
			title := fmt.Sprintf("%s %d", name, i)
			routes[fmt.Sprintf("/s/%d", i)] = story(title, "")
			titles = append(titles, title)
		}
		return newSite(t, routes), titles
	}
	daily, dailyTitles := normal("daily")
	weekly, weeklyTitles := normal("weekly")

	opts := testOptions()
	opts.MaxPages = 30 // 10 a source; each normal one needs 7
	opts.MaxSitemaps = 50
	sum, _, pub, err := crawl(t, opts,
		Source{Name: "fan", Sitemaps: []string{fan.URL + "/sitemap.xml"}},
		Source{Name: "daily", Seeds: []string{daily.URL + "/"}},
		Source{Name: "weekly", Seeds: []string{weekly.URL + "/"}},
	)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	titles := pub.titles()
	for _, want := range append(dailyTitles, weeklyTitles...) {
		if titles[want] != 1 {
			t.Errorf("story %q published %d times, want once; summary %s", want, titles[want], sum)
		}
	}
	total := fan.pages() + daily.pages() + weekly.pages()
	if total > opts.MaxPages {
		t.Errorf("%d pages requested, over MaxPages=%d", total, opts.MaxPages)
	}
}

// What a finished source leaves of its share is the others'.
func TestPageBudgetReleasesFinishedSharesToTheOthers(t *testing.T) {
	b := newPageBudget(10)
	b.split([]*site{{name: "fan"}, {name: "daily"}, {name: "weekly"}})
	taken := 0
	for b.take("fan") {
		taken++
	}
	if taken != 4 { // its 3 and the remainder of 10/3
		t.Fatalf("fan took %d pages before any source finished, want 4", taken)
	}
	if !b.take("daily") || b.left("fan") {
		t.Fatal("daily's share was spent by fan")
	}
	b.release("daily") // done after 1 of its 3
	for b.take("fan") {
		taken++
	}
	if taken != 6 {
		t.Errorf("fan took %d pages after daily finished, want 6 (daily's 2 left)", taken)
	}
	weekly := 0
	for b.take("weekly") {
		weekly++
	}
	if weekly != 3 {
		t.Errorf("weekly took %d pages, want its share of 3", weekly)
	}
}
