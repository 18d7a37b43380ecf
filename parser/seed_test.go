package parser

import (
	"os"
	"strings"
	"testing"

	"newsdesk/news"
)

// seedFile is the real story the seed fixture wraps; the test derives the
// expected text from it when the shared folder is present.
const seedFile = "../../shared/seeds/000_801d0d881e85a4bc.txt"

// seedPrompt are the lines of the subscription block in the seed story.
var seedPrompt = []string{
	"Become a Subscriber",
	"Please purchase a subscription to continue reading this article.",
	"Subscribe Now",
}

const seedText = `Explosive court documents unsealed in March 2024 reveal shocking claims that Meta, formerly known as Facebook, allegedly granted Netflix access to users' direct messages for nearly a decade, breaching anti-competitive activities and privacy regulations. These revelations emerge as part of a significant anti-trust lawsuit filed by U.S. citizens Maximilian Klein and Sarah Grabert against both Netflix and Meta.

The lawsuit alleges a "special relationship" between Netflix and Facebook, where Netflix spent millions of dollars on Facebook ads and entered agreements sharing user data with the social media giant. According to court filings, Netflix received tailored access to private Facebook APIs, including programmatic access to users' private message inboxes, in exchange for providing detailed reports to Facebook on recommendation sends and clicks.

Moreover, the lawsuit implicates Reed Hastings, Netflix's co-founder, claiming that his inclusion on Facebook's board of directors influenced the closure of Facebook Watch, a streaming service competing with Netflix. The plaintiffs demand Hastings' response to these allegations, emphasizing the detrimental impact of such close ties on competition and user privacy.

Meta, in response, denies sharing private messages with Netflix, asserting that the API access merely facilitated users' ability to message friends about Netflix content directly from the Netflix app. They deem such agreements common in the industry and refute the merit of the complaint.

This isn't the first time Meta faces scrutiny over privacy breaches. In 2018, a New York Times report revealed that Facebook had authorized Spotify and Netflix to access users' DMs, contributing to its explosive growth and ad revenue streams. Meta has already faced fines for privacy violations, including a $284 million penalty from Ireland in 2022 and a $725 million settlement in a security breach case related to Cambridge Analytica in the same year.

The ongoing lawsuit underscores growing concerns about big tech's dominance and its implications for user privacy and competition in the digital sphere. It raises questions about the responsibility of tech giants in safeguarding user data and the need for stricter regulations to prevent abuses of power.

Both Meta and Netflix are yet to provide further comments on the recent allegations. However, the unfolding legal battle highlights the complex interplay between technology, privacy, and regulatory oversight, shaping the future landscape of digital governance and consumer protection.`

func parseSeed(t *testing.T) news.Article {
	t.Helper()
	body, err := os.ReadFile("testdata/seed-meta-netflix.html")
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Options{}).Parse("https://www.privacyledger.example/articles/meta-netflix.html", body)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return a
}

func TestSeedExactText(t *testing.T) {
	a := parseSeed(t)
	if a.Title != "Lawsuit Alleges Meta Allowed Netflix Access to Facebook Users’ Messages" {
		t.Errorf("Title = %q", a.Title)
	}
	if a.Text != seedText {
		t.Errorf("Text differs from the seed story.\ngot:\n%s\n\nwant:\n%s", a.Text, seedText)
	}
	want := news.Paywall{Detected: true, Kind: news.PaywallSoft, Truncated: false}
	if a.Paywall.Detected != want.Detected || a.Paywall.Kind != want.Kind || a.Paywall.Truncated != want.Truncated {
		t.Errorf("Paywall = %+v, want detected soft, not truncated", a.Paywall)
	}
}

// TestSeedMatchesSharedStory checks the fixture against the seed file itself:
// headline on the first line, then the paragraphs, of which only the three
// lines of the subscription block must be missing from the text.
func TestSeedMatchesSharedStory(t *testing.T) {
	raw, err := os.ReadFile(seedFile)
	if os.IsNotExist(err) {
		t.Skipf("%s not present", seedFile)
	}
	if err != nil {
		t.Fatal(err)
	}
	headline, rest, _ := strings.Cut(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	var paras []string
	for _, p := range strings.Split(rest, "\n\n") {
		p = strings.TrimSpace(p)
		if p == "" || isSeedPrompt(p) {
			continue
		}
		paras = append(paras, strings.Join(strings.Fields(p), " "))
	}
	a := parseSeed(t)
	if a.Title != strings.TrimSpace(headline) {
		t.Errorf("Title = %q, want the seed headline %q", a.Title, headline)
	}
	if want := strings.Join(paras, "\n\n"); a.Text != want {
		t.Errorf("Text differs from the seed file.\ngot:\n%s\n\nwant:\n%s", a.Text, want)
	}
	if a.Text != seedText {
		t.Error("the seed file and the test's copy of its text disagree")
	}
}

func isSeedPrompt(p string) bool {
	for _, l := range seedPrompt {
		if p == l {
			return true
		}
	}
	return false
}
