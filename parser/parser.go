package parser

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"newsdesk/news"
)

// Options configures a Parser.
type Options struct {
	// Sites are per-publisher corrections, keyed by lower-case host name
	// (www.example.com and example.com differ), applied only to pages from
	// that host. See SiteRules.
	Sites map[string]SiteRules
	// MaxNodes is the parse budget of elements and attributes: a page
	// whose tree would hold more (as estimated from its tags) is read by a
	// cheaper extraction, its title and plain text, marked with the
	// paywall signal "parser:degraded:nodes". 0 means DefaultMaxNodes.
	MaxNodes int
	// Timeout bounds one parse: past it, the page is read by the same
	// cheaper extraction, marked "parser:degraded:timeout". 0 means
	// DefaultTimeout.
	Timeout time.Duration
}

// Parser extracts articles from pages. It holds no state between calls and
// is safe for concurrent use.
type Parser struct {
	opts  Options
	sites map[string]*siteRules
}

// New returns a Parser with the given options. Selectors that do not parse
// are left out: check them first with Options.Check.
func New(opts Options) *Parser {
	return &Parser{opts: opts, sites: compileSites(opts.Sites)}
}

// Parse extracts the article from one page fetched from pageURL. It does no
// I/O. It fills everything but Source, FetchedAt and Topics, which belong to
// the caller. For a page that is not a single story (a section, tag, author
// or search page) it returns an error for which errors.Is(err,
// news.ErrNotArticle) holds, together with what it extracted anyway.
//
// A page over the parse budget (Options.MaxNodes, Options.Timeout) gets a
// cheaper extraction instead, marked in its paywall signals.
func (p *Parser) Parse(pageURL string, body []byte) (news.Article, error) {
	return p.ParseFetched(pageURL, body, time.Time{})
}

// ParseFetched is Parse for a page fetched at fetched (the crawler's clock
// at the response, or an archived record's WARC-Date): a page that prints
// its date only relative to that ("vor 2 Stunden", "yesterday, 5:30 PM")
// gets Published from it. An absolute date in the page always wins; a zero
// fetched reads no relative date, as Parse does.
func (p *Parser) ParseFetched(pageURL string, body []byte, fetched time.Time) (news.Article, error) {
	body = toUTF8(body)
	b := p.budget()
	if countNodes(body, b.maxNodes) > b.maxNodes {
		return degradedParse(pageURL, body, signalOverNodes)
	}
	a, err := p.parse(pageURL, body, b, fetched)
	if errors.Is(err, errOverBudget) {
		return degradedParse(pageURL, body, signalTimeout)
	}
	return a, err
}

// parse is the full extraction. It returns errOverBudget when the
// deadline passes, checked while the tree is built and between the steps.
func (p *Parser) parse(pageURL string, body []byte, b budget, fetched time.Time) (news.Article, error) {
	doc, err := parseDocument(body, b)
	if errors.Is(err, errOverBudget) {
		return news.Article{}, err
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("parsing HTML of %s: %w", pageURL, err)
	}
	root := doc.Get(0)
	inlineTemplates(root)
	site := p.site(pageURL)
	site.drop(root)
	limitLinkedData(root)
	limitAttributes(root)
	m := readMeta(doc)
	ld := readLinkedData(doc)
	a := metadata(doc, m, &ld, pageURL)
	if a.Published.IsZero() {
		a.Published, a.PublishedRelative = printedDate(root, fetched)
	}

	if b.expired() {
		return news.Article{}, errOverBudget
	}
	walls := scanWalls(doc, &ld)
	site.markWalls(root, walls)
	content := site.body(root, walls.strip)
	if content == nil {
		content = findContent(root, walls.strip, walls.stats)
	}
	if b.expired() {
		return news.Article{}, errOverBudget
	}
	r := renderer{title: a.Title, section: a.Section, prompts: walls.strip}
	a.Text = strings.ToValidUTF8(strings.Join(r.render(content), "\n\n"), "\uFFFD")
	a.WordCount = storyWordCount(a.Text)
	if len(a.Authors) == 0 {
		a.Authors = cleanAuthors(r.contacts...)
	}
	a.Paywall = walls.verdict(root, r.lastText, a.WordCount, ld.wordCount(), endsMidSentence(a.Text))
	if dekServed(a.Paywall) {
		a.Text = withDek(a.Text, findDek(root, a.Title, content))
		a.WordCount = storyWordCount(a.Text)
	}
	a.Language = resolveLanguage(a.Language, a.Title+"\n"+a.Text)
	a.Entities = entities(a.Title, a.Text, a.Language)

	facts := readPageFacts(root, m, &ld, content, a)
	if reason := notArticleReason(facts); reason != "" {
		return a, fmt.Errorf("extracting article from %s: %s: %w", pageURL, reason, news.ErrNotArticle)
	}
	return a, nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
