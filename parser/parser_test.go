package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"newsdesk/news"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the parser's output (review the diff by hand)")

// fixture is one page of testdata with what a reader would check on it;
// the golden file pins everything else.
type fixture struct {
	file       string
	url        string
	notArticle bool
	title      string
	authors    []string
	lang       string
	kind       news.PaywallKind
	// inText and notInText are phrases the text must and must not contain.
	inText, notInText []string
}

var fixtures = []fixture{
	{
		file: "seed-meta-netflix.html", url: "https://www.privacyledger.example/articles/meta-netflix.html?utm_source=feed",
		title:     "Lawsuit Alleges Meta Allowed Netflix Access to Facebook Users’ Messages",
		authors:   []string{"Jane Carter"},
		lang:      "en",
		kind:      news.PaywallSoft,
		inText:    []string{"Explosive court documents", "Moreover, the lawsuit implicates", "consumer protection."},
		notInText: []string{"Subscribe", "Become a Subscriber", "Jane Carter", "Related stories", "newsletter", "Menlo Park", "Share on", "All rights reserved"},
	},
	{
		file: "hard-tracking-fine.html", url: "https://www.privacyledger.example/articles/tracking-fine.html",
		title:     "Regulator Fines Ad-Tech Firm €18 Million Over Covert Location Tracking",
		authors:   []string{"Marcus Holt"},
		lang:      "en",
		kind:      news.PaywallHard,
		inText:    []string{"Brightwater Analytics", "sold to advertisers and data brokers."},
		notInText: []string{"Subscribe", "Already a subscriber", "$1 a week", "Correspondent", "April 9"},
	},
	{
		file: "metered-congestion-charge.html", url: "https://www.riversidecourier.example/news/2024/06/03/congestion-charge?ref=home",
		title:     "City Council Approves Congestion Charge for Downtown Core",
		authors:   []string{"Laura Mendes"},
		lang:      "en",
		kind:      news.PaywallMetered,
		inText:    []string{"Drivers will pay $9", "Exemptions and discounts", "awarded in the autumn."},
		notInText: []string{"free articles left", "unlimited access", "Laura Mendes", "Transport"},
	},
	{
		file: "free-encryption-law.html", url: "https://www.privacyledger.example/articles/encryption-law.html",
		title:     "Parliament Passes Encryption Law That Keeps End-to-End Messaging Intact",
		authors:   []string{"Priya Raman", "Tomás Ortega"},
		lang:      "en",
		kind:      news.PaywallNone,
		inText:    []string{"What the law requires", "Services may not be ordered to break or bypass encryption.\nCompanies must report", "\"Strong encryption protects"},
		notInText: []string{"Sign up", "newsletter", "Comments", "subscribers", "Most read", "Tweet"},
	},
	{
		file: "free-streaming-prices.html", url: "https://www.riversidecourier.example/business/streaming-prices",
		title:   "Streaming Services Raise Prices as Subscriber Growth Stalls",
		authors: []string{"Sam Okoye"},
		lang:    "en",
		kind:    news.PaywallNone,
		inText:  []string{"every \"subscribe now\" banner", "become a subscriber", "turns into a paid plan."},
	},
	{
		file: "de-radwege-soft.html", url: "https://www.muehlbacher-anzeiger.example/lokales/radwege-programm-2027",
		title:     "Mühlbach baut bis 2027 zwölf Kilometer neue Radwege",
		authors:   []string{"Anna Schmidt", "Jonas Weber"},
		lang:      "de",
		kind:      news.PaywallSoft,
		inText:    []string{"Der Stadtrat von Mühlbach", "Für den Umbau fallen", "Kritik aus der Opposition", "kommunalen Radverkehr."},
		notInText: []string{"abonnieren", "Weiterlesen", "ohne Werbung", "Von Anna Schmidt", "Impressum"},
	},
	{
		file: "cp1252-cafe-wifi.html", url: "https://www.plateaupost.example/2024/02/cafe-wifi",
		title:     "Montréal Café Chain Stops Logging Customers’ Wi-Fi Data",
		authors:   []string{"René Côté"},
		lang:      "en",
		kind:      news.PaywallNone,
		inText:    []string{"A Montréal café chain", "province’s privacy commissioner", "“We thought we were measuring foot traffic,”", "co-owner Hélène Béliveau", "€25,000 – the chain’s"},
		notInText: []string{"©", "By René"},
	},
	{
		// No language markup at all: French is detected from the text.
		file: "nolang-fr-cnil.html", url: "https://www.leveilleur.example/tech/cnil-amende-courtier",
		title:     "La CNIL inflige une amende de 40 millions d'euros à un courtier en données",
		authors:   []string{"Claire Dubois"},
		lang:      "fr",
		kind:      news.PaywallNone,
		inText:    []string{"La Commission nationale", "depuis le début de l'année."},
		notInText: []string{"Par Claire Dubois", "Tous droits", "S'abonner"},
	},
	{
		// An English template around a Dutch story: the text wins.
		file: "wronglang-nl-template.html", url: "https://www.dijkbode.example/nieuws/boete-fietsapp",
		title:     "Toezichthouder beboet app voor het delen van locatiegegevens",
		authors:   []string{"Pieter de Vries"},
		lang:      "nl",
		kind:      news.PaywallNone,
		inText:    []string{"De Autoriteit Persoonsgegevens", "zelden iets van merken."},
		notInText: []string{"Nieuws", "©"},
	},
	{
		file: "listing-technology.html", url: "https://www.riversidecourier.example/technology/",
		notArticle: true,
		title:      "Technology",
		authors:    []string{},
		lang:       "en",
		kind:       news.PaywallNone,
	},
}

func TestParseFixtures(t *testing.T) {
	p := New(Options{})
	for _, f := range fixtures {
		t.Run(strings.TrimSuffix(f.file, ".html"), func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", f.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := p.Parse(f.url, body)
			if f.notArticle != errors.Is(err, news.ErrNotArticle) || (err != nil && !f.notArticle) {
				t.Fatalf("Parse error = %v, want not-an-article = %v", err, f.notArticle)
			}
			checkFixture(t, f, a)
			compareGolden(t, strings.TrimSuffix(f.file, ".html")+".golden.json", a)
		})
	}
}

func checkFixture(t *testing.T, f fixture, a news.Article) {
	t.Helper()
	if a.URL != f.url {
		t.Errorf("URL = %q, want %q", a.URL, f.url)
	}
	if want := news.DocID(a.Key()); a.ID != want {
		t.Errorf("ID = %q, want DocID(Key()) = %q", a.ID, want)
	}
	if a.Title != f.title {
		t.Errorf("Title = %q, want %q", a.Title, f.title)
	}
	if strings.Join(a.Authors, "; ") != strings.Join(f.authors, "; ") || a.Authors == nil {
		t.Errorf("Authors = %#v, want %#v", a.Authors, f.authors)
	}
	if a.Language != f.lang {
		t.Errorf("Language = %q, want %q", a.Language, f.lang)
	}
	if a.Paywall.Kind != f.kind {
		t.Errorf("Paywall.Kind = %q, want %q (signals %v)", a.Paywall.Kind, f.kind, a.Paywall.Signals)
	}
	if a.Paywall.Detected != (f.kind != news.PaywallNone) || a.Paywall.Truncated != (f.kind == news.PaywallHard) {
		t.Errorf("Paywall = %+v: Detected must be Kind != none and Truncated exactly Kind == hard", a.Paywall)
	}
	if a.Paywall.Signals == nil {
		t.Error("Paywall.Signals is nil, want a non-nil slice")
	}
	if !utf8.ValidString(a.Text) {
		t.Error("Text is not valid UTF-8")
	}
	if a.WordCount != len(strings.Fields(a.Text)) {
		t.Errorf("WordCount = %d, want %d", a.WordCount, len(strings.Fields(a.Text)))
	}
	for _, para := range strings.Split(a.Text, "\n\n") {
		if para == "" || strings.TrimSpace(para) != para || strings.Contains(para, "  ") {
			t.Errorf("paragraph %q is empty or has stray white space", para)
		}
	}
	if strings.Contains(a.Text, f.title) && f.title != "" && !f.notArticle {
		t.Errorf("Text contains the headline %q", f.title)
	}
	for _, s := range f.inText {
		if !strings.Contains(a.Text, s) {
			t.Errorf("Text lacks %q", s)
		}
	}
	for _, s := range f.notInText {
		if strings.Contains(a.Text, s) {
			t.Errorf("Text contains %q", s)
		}
	}
}

// articleJSON renders an article as `newsdesk parse` prints it.
func articleJSON(t *testing.T, a news.Article) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func compareGolden(t *testing.T, name string, a news.Article) {
	t.Helper()
	got := articleJSON(t, a)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("article differs from %s (rerun with -update and review the diff):\ngot:\n%s", path, got)
	}
}
