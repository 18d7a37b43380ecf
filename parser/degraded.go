package parser

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/news"
)

// degradedParse is the extraction of a page over the parse budget: the
// title and the plain text of the body, read token by token without
// building a tree, in time and memory linear in the page. The article's
// paywall signals carry reason, so consumers can tell it from a full
// parse; it has no paywall verdict, byline or dates.
func degradedParse(pageURL string, body []byte, reason string) (news.Article, error) {
	title, paras := tokenText(body)
	a := news.Article{
		Title:   title,
		Authors: []string{},
		Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{reason}},
	}
	a.Text = strings.ToValidUTF8(strings.Join(paras, "\n\n"), "\uFFFD")
	a.Title = strings.ToValidUTF8(a.Title, "\uFFFD")
	a.WordCount = storyWordCount(a.Text)
	a.Language = resolveLanguage("", a.Title+"\n"+a.Text)
	a.Entities = entities(a.Title, a.Text, a.Language)
	if a.WordCount < unmarkedStoryWords {
		return a, fmt.Errorf("extracting article from %s: over the parse budget (%s) and only %d words of text: %w",
			pageURL, reason, a.WordCount, news.ErrNotArticle)
	}
	return a, nil
}

// tokenText returns the page's <title> and the paragraphs of its visible
// text: text outside scripts, styles and other non-text elements, broken
// into paragraphs at block elements and <br>.
func tokenText(body []byte) (title string, paras []string) {
	var (
		para    strings.Builder
		skip    int // depth inside elements whose text is not shown
		inTitle bool
	)
	flush := func() {
		if s := strings.Join(strings.Fields(para.String()), " "); s != "" {
			paras = append(paras, s)
		}
		para.Reset()
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return title, paras
		case html.TextToken:
			switch {
			case inTitle:
				if title == "" {
					title = strings.Join(strings.Fields(string(z.Text())), " ")
				}
			case skip == 0:
				para.Write(z.Text())
				para.WriteByte(' ')
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			inTitle = a == atom.Title && tt == html.StartTagToken
			if hiddenText[a] && !isVoid(name) && tt != html.SelfClosingTagToken {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			if blockStarts[a] || a == atom.Br || a == atom.Hr {
				flush()
			}
		}
	}
}

// hiddenText are the elements whose text a reader does not see as text.
var hiddenText = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Math: true, atom.Select: true, atom.Textarea: true,
	atom.Iframe: true, atom.Object: true}
