package parser

import (
	"fmt"
	"slices"
	"testing"

	"newsdesk/news"
)

// TestSeedEntities pins the entities of the seed story exactly: the two
// companies at its centre, the money amounts of the earlier fines, and the
// people the lawsuit names.
func TestSeedEntities(t *testing.T) {
	a := parseSeed(t)
	got := fmt.Sprint(a.Entities)
	want := fmt.Sprint([]news.Entity{
		{Name: "Netflix", Kind: news.EntityOrg, Count: 13},
		{Name: "Facebook", Kind: news.EntityOrg, Count: 9},
		{Name: "Meta", Kind: news.EntityOrg, Count: 7},
		{Name: "Reed Hastings", Kind: news.EntityPerson, Count: 2},
		{Name: "Maximilian Klein", Kind: news.EntityPerson, Count: 1},
		{Name: "Sarah Grabert", Kind: news.EntityPerson, Count: 1},
		{Name: "Spotify", Kind: news.EntityOrg, Count: 1},
		{Name: "$284 million", Kind: news.EntityMoney, Count: 1},
		{Name: "$725 million", Kind: news.EntityMoney, Count: 1},
		{Name: "Cambridge Analytica", Kind: news.EntityOrg, Count: 1},
	})
	if got != want {
		t.Errorf("Entities =\n%s\nwant\n%s", got, want)
	}
}

func TestEntityRules(t *testing.T) {
	for _, tc := range []struct {
		name, text, lang string
		want             []string // "kind:name", in any order; every entity must be listed
	}{
		{"money forms", "The fine was £2.5bn. Another was 1.2 billion euros, then €18 Million and US$ 3 million.", "en",
			[]string{"money:£2.5bn", "money:1.2 billion euros", "money:€18 million", "money:US$ 3 million"}},
		{"german money", "Die Stadt zahlt 14 Millionen Euro für den Umbau.", "de", []string{"money:14 Millionen Euro"}},
		{"org suffixes", "Shares of Acme Corp rose while Brightwater Analytics and Datenwerk GmbH fell.", "en",
			[]string{"org:Acme Corp", "org:Brightwater Analytics", "org:Datenwerk GmbH"}},
		{"title inside a run", "Digital Affairs Minister Elena Harbourne defended the bill.", "en", []string{"person:Elena Harbourne"}},
		{"speech verb", "The vote was close, Dana Whitfield said on Monday.", "en", []string{"person:Dana Whitfield"}},
		{"surname mentioned again", "Critics include Bo Ekdahl. In an interview, Ekdahl called it a mistake.", "en", []string{"person:Bo Ekdahl"}},
		{"gazetteer inside a run", "Both Meta and the FTC declined to comment on Facebook Watch.", "en", []string{"org:Meta", "org:FTC", "org:Facebook"}},
		{"sentence starts are not names", "Explosive documents. Moreover, Critics Say things. New York is big.", "en", nil},
		{"german nouns are not people", "Der Stadtrat beschloss den Plan. Neue Radwege kosten Geld, sagt der Stadtrat.", "de", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range entities("", tc.text, tc.lang) {
				got = append(got, string(e.Kind)+":"+e.Name)
			}
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("entities = %q, want %q", got, want)
			}
		})
	}
}
