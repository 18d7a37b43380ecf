package indexer

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"newsdesk/news"
)

// RelatedTermCount is how many of an article's words a related-stories query
// looks for.
const RelatedTermCount = 12

// RelatedMinMatch is how many of them another story must contain.
const RelatedMinMatch = 2

// RelatedQuery is the search for stories related to an article, which
// both backends run: stories that have at least MinMatch of Terms, each
// matched as a word in the title (boosted), the description or the text,
// except the article itself (Exclude), best first, at most Size of them.
type RelatedQuery struct {
	Exclude  string
	Terms    []string
	MinMatch int
	Size     int
}

// Related answers Index.Related over a backend's Get and its run of a
// RelatedQuery: an article without words to go by has no related stories,
// and the answer is a single page (no Next).
func Related(ctx context.Context, id string, size int,
	get func(context.Context, string) (news.Article, error),
	search func(context.Context, RelatedQuery) (news.Results, error)) (news.Results, error) {
	a, err := get(ctx, id)
	if err != nil {
		return news.Results{}, err
	}
	terms := RelatedTerms(a, RelatedTermCount)
	if len(terms) == 0 {
		return news.Results{Hits: []news.Hit{}}, nil
	}
	res, err := search(ctx, RelatedQuery{Exclude: a.ID, Terms: terms,
		MinMatch: min(RelatedMinMatch, len(terms)), Size: max(size, 1)})
	if err != nil {
		return news.Results{}, fmt.Errorf("finding stories related to %s: %w", id, err)
	}
	res.Next = ""
	return res, nil
}

// RelatedTerms picks the words that say what an article is about: the most
// frequent words of its title and text (a title word counts three times),
// without short words, numbers and common function words. Both backends run
// the same "stories with several of these words" query, so related stories
// agree across them; Elasticsearch's more_like_this would weigh by rarity
// but exists only there.
func RelatedTerms(a news.Article, n int) []string {
	freq := map[string]int{}
	add := func(s string, weight int) {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			if len([]rune(w)) < 3 || stopWords[w] || strings.IndexFunc(w, unicode.IsLetter) < 0 {
				continue
			}
			freq[w] += weight
		}
	}
	add(a.Title, 3)
	add(a.Text, 1)
	words := make([]string, 0, len(freq))
	for w := range freq {
		words = append(words, w)
	}
	slices.SortFunc(words, func(x, y string) int {
		if c := cmp.Compare(freq[y], freq[x]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	return words[:min(len(words), n)]
}

// stopWords are function words of the corpus languages that say nothing
// about a story.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for that with this from have has had was were are its
		their they them his her she him who whom which what when where why how not but all any can
		will would could should may might also into over after before about than then there here
		our out more most some such been being very said says just only other new one two
		der die das und den dem des ein eine einer ist sind mit für auf nicht von zu im
		les des une est dans pour par sur qui que pas avec sont aux ces`) {
		m[w] = true
	}
	return m
}()
