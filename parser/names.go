package parser

import (
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// nameSet matches the class and id names of a block against whole words,
// the way a reader of the markup would: "ad" matches "ad-slot" and
// "top_ad" but not "header" or "read". A hint is split into its runs of
// letters once, and each run is looked up in a map, which costs a fraction
// of a regular expression with word boundaries run over every element of a
// page.
type nameSet struct {
	words    map[string]bool
	prefixes []string // words that match with any ending: "advert" for "advertisement"
	phrases  []string // substrings spanning a separator: "sr-only"
	// stems are the words, prefixes and phrases as literals: a hint that
	// holds none of them names none, which one quick pass tells for
	// almost every element of a page. nil when a word is too short for
	// literals.
	stems *literals
	// besides skips a word of besideWords after "has" or "with": a layout
	// class ("o-section--has-ads", "content-with-sidebar") names what sits
	// beside the block, not the block. ("has-caption" still names a
	// figure.)
	besides bool
}

func newNameSet(words, prefixes, phrases []string) *nameSet {
	s := &nameSet{words: make(map[string]bool, len(words)), prefixes: prefixes, phrases: phrases}
	for _, w := range words {
		s.words[w] = true
	}
	all := slices.Concat(words, prefixes, phrases)
	if !slices.ContainsFunc(all, func(w string) bool { return len(w) < 2 }) {
		s.stems = newLiterals(all)
	}
	return s
}

// match reports whether the lower-cased hint h names one of the set's words.
func (s *nameSet) match(h string) bool {
	if h == "" || s.stems != nil && !s.stems.in(h) {
		return false
	}
	start := -1
	prev := ""
	for i := 0; i <= len(h); i++ {
		letter := i < len(h) && h[i] >= 'a' && h[i] <= 'z'
		if letter {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w := h[start:i]
			if s.matchWord(w) && !(s.besides && besideWords[w] && (prev == "has" || prev == "with") && h[start-1] != ' ') {
				return true
			}
			prev, start = w, -1
		}
		if i < len(h) && h[i] == ' ' {
			prev = ""
		}
	}
	for _, p := range s.phrases {
		if strings.Contains(h, p) {
			return true
		}
	}
	return false
}

func (s *nameSet) matchWord(w string) bool {
	if s.words[w] {
		return true
	}
	for _, p := range s.prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// boilerNames are the names of blocks that are not the story: navigation,
// bylines and metadata, sharing, related links, newsletter boxes, ads,
// comments, captions.
var boilerNames = newNameSet([]string{
	"ad", "ads", "adslot", "adunit", "dfp",
	"nav", "navigation", "navbar", "menu", "breadcrumb", "breadcrumbs", "sidebar", "rail", "footer", "masthead", "skip",
	"byline", "bylines", "author", "authors", "authorbio", "auteur", "auteurs", "dateline", "timestamp", "meta", "tag", "tags", "keywords", "kicker", "eyebrow",
	"share", "sharing", "social", "related", "more", "trending", "popular", "outbrain", "taboola",
	"newsletter", "newsletters", "signup", "comment", "comments", "reviews", "disqus", "caption", "credit", "credits",
	"toolbar", "tools", "popup", "modal", "cookie", "cookies", "consent", "rollover", "tooltip", "popover", "hovercard", "pagination", "pager",
}, []string{"advert", "sponsor", "promo", "autor", "recirc", "recommend", "sharedaddy", "cleverpush", "onesignal"},
	[]string{"is-hidden", "sr-only", "visually-hidden", "jetpack-likes", "sd-like", "sd-sharing", "web-push", "push-notification", "push-subscri", "push-prompt"})

// besideWords are the page chrome a layout class names as sitting beside
// its block.
var besideWords = map[string]bool{"ad": true, "ads": true, "adslot": true, "sidebar": true, "rail": true, "nav": true, "navigation": true, "menu": true}

func init() { boilerNames.besides = true }

// widgetElements are the custom elements of page widgets that are never
// the story: AMP's push-notification, consent and notice boxes, whose
// wording ("Get notified of breaking news") would otherwise pass for a
// short article.
var widgetElements = map[string]bool{"amp-web-push-widget": true, "amp-web-push": true, "amp-user-notification": true,
	"amp-consent": true, "amp-install-serviceworker": true, "amp-sidebar": true}

// isWidgetElement reports whether n is one of widgetElements.
func isWidgetElement(n *html.Node) bool {
	return n.Type == html.ElementNode && n.DataAtom == 0 && widgetElements[n.Data]
}

// headerNames name a header block. Page headers hold chrome, but a class
// word "header" also names a section's heading module ("j-header",
// "card-header") or a layout option of a content block
// ("header-content-align-left"), so it drops no block inside the chosen
// story: it only counts against a block in the choice of the story.
var headerNames = newNameSet([]string{"header"}, nil, nil)

// boilerOrHeader reports whether h names boilerplate or a header block:
// the test of a block's chances in the choice of the story, and of a
// dek's place.
func boilerOrHeader(h string) bool { return boilerNames.match(h) || headerNames.match(h) }

// postContainer reports whether h names a blog post itself, as WordPress's
// post_class() does ("post-12 post type-post status-publish hentry
// tag-winter category-news"): its taxonomy classes ("tag-winter") name the
// post's tags, not a tag block, so such a block is never boilerplate.
func postContainer(h string) bool {
	return strings.Contains(h, "hentry") || strings.Contains(h, "type-post") || strings.Contains(h, "status-publish")
}

// sideNames are the names of page chrome beside any story: rails, comment
// sections, the site's masthead, header and footer.
var sideNames = newNameSet([]string{"sidebar", "rail", "comment", "comments", "disqus", "navbar", "masthead"},
	nil, []string{"site-header", "site-footer"})
