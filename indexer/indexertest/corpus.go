package indexertest

import (
	"strings"
	"time"

	"newsdesk/news"
)

// The corpus: six articles from four sources, in three languages, with all
// four paywall kinds and distinct dates (some with a zone offset, to prove
// dates survive a round trip). Words are chosen so that each search in the
// suite has exactly one right answer.
var (
	rates = article("https://wire.example/economy/central-bank-rates", "wire", "en",
		"Central bank raises interest rates",
		"The central bank raised interest rates by a quarter point on Tuesday, citing persistent inflation.\n\n"+
			"Economists had expected the move after a run of strong wage data.",
		time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC),
		news.Paywall{Kind: news.PaywallNone, Signals: []string{}})

	storm = article("https://daily.example/news/storm-coast", "daily", "en",
		"Storm floods coastal towns",
		"Heavy rain flooded coastal towns overnight. Residents were evacuated as the river burst its banks, "+
			"and officials warned of more rain.",
		time.Date(2024, 3, 5, 18, 0, 0, 0, time.FixedZone("CET", 3600)),
		news.Paywall{Detected: true, Kind: news.PaywallMetered, Signals: []string{"jsonld:isAccessibleForFree=false"}})

	steuer = article("https://gazette.example/politik/steuern", "gazette", "de",
		"Regierung plant neue Steuern",
		"Die Regierung plant neue Steuern auf Zucker. Der vollständige Artikel ist nur für Abonnenten verfügbar.",
		time.Date(2024, 2, 10, 7, 0, 0, 0, time.FixedZone("CET", 3600)),
		news.Paywall{Detected: true, Kind: news.PaywallHard, Truncated: true, Signals: []string{"selector:.paywall", "text:abonnenten"}})

	greve = article("https://wire.example/fr/greve-transports", "wire", "fr",
		"La grève paralyse les transports",
		"Une grève nationale paralyse les transports publics à Paris et dans les grandes villes.",
		time.Date(2024, 1, 20, 10, 0, 0, 0, time.UTC),
		news.Paywall{Detected: true, Kind: news.PaywallSoft, Signals: []string{"prompt:subscribe"}})

	cup = article("https://daily.example/sport/cup-final", "daily", "en",
		"Local team wins the cup",
		`Fans celebrated the championship with fish & chips in the square. A prankster posted <script>alert("pwned")</script> on the club forum.`,
		time.Date(2024, 3, 10, 21, 15, 0, 0, time.UTC),
		news.Paywall{Kind: news.PaywallNone, Signals: []string{}})

	savers = article("https://tribune.example/money/savers", "tribune", "en",
		"Why rates of interest matter to savers",
		"Savers watch the rates of interest that banks pay. When interest climbs, deposits grow; when rates fall, savers look elsewhere.",
		time.Date(2023, 12, 1, 8, 0, 0, 0, time.UTC),
		news.Paywall{Detected: true, Kind: news.PaywallHard, Truncated: true, Signals: []string{"jsonld:isAccessibleForFree=false"}})
)

// Authors and topics, for their filters and facets.
func init() {
	set := func(a *news.Article, authors, topics []string) { a.Authors, a.Topics = authors, topics }
	set(&rates, []string{"Ana Lima"}, []string{"economy", "central banks"})
	set(&storm, []string{"Ben Okafor"}, []string{"weather"})
	set(&steuer, []string{"Clara Weiss"}, []string{"economy", "politics"})
	set(&greve, []string{"Ana Lima"}, []string{"labour"})
	set(&cup, []string{"Ben Okafor"}, []string{"sport"})
	set(&savers, []string{"Ana Lima", "Ben Okafor"}, []string{"economy"})
}

// corpus returns fresh copies, so a test that changes one cannot change another.
func corpus() []news.Article {
	return []news.Article{clone(rates), clone(storm), clone(steuer), clone(greve), clone(cup), clone(savers)}
}

func article(url, source, lang, title, text string, published time.Time, pw news.Paywall) news.Article {
	a := news.Article{
		URL:          url,
		CanonicalURL: url,
		Source:       source,
		SiteName:     source + ".example",
		Title:        title,
		Authors:      []string{"Ana Lima", "Ben Okafor"},
		Published:    published,
		Modified:     published.Add(90 * time.Minute),
		Language:     lang,
		Description:  title + ".",
		Section:      "News",
		Tags:         []string{source, lang},
		Image:        url + "/lead.jpg",
		Text:         text,
		WordCount:    len(strings.Fields(text)),
		Topics:       []string{"test"},
		Paywall:      pw,
		FetchedAt:    time.Date(2024, 3, 11, 12, 0, 0, 0, time.UTC),
	}
	a.ID = news.DocID(a.Key())
	return a
}

func clone(a news.Article) news.Article {
	a.Authors = append([]string(nil), a.Authors...)
	a.Tags = append([]string(nil), a.Tags...)
	a.Topics = append([]string(nil), a.Topics...)
	a.Paywall.Signals = append([]string{}, a.Paywall.Signals...)
	return a
}
