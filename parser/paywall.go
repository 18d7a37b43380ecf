package parser

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/news"
)

// The paywall verdict.
//
// Signals (news.Paywall.Signals) name what was seen, in a stable
// vocabulary, whether or not it decided the kind:
//
//	jsonld:isAccessibleForFree=false     JSON-LD, at any depth or in @graph
//	microdata:isAccessibleForFree=false  an itemprop of that name
//	meta:isAccessibleForFree=false       a <meta name|property> of that name
//	meta:content_tier=locked|metered|free  article:content_tier, og:article:content_tier
//	meta:paywall                         a publisher's paywall/access meta with a gated value
//	gated-part=text|empty|absent|invalid the declared gated element (JSON-LD or microdata
//	                                     hasPart, AMP content section) holds the text, is
//	                                     empty or holds only its barrier, matches nothing,
//	                                     or has a selector that does not parse
//	amp:section=content                  an AMP subscriptions content section
//	script:<vendor>                      a paywall or membership tool's script is loaded
//	script:poool=premium                 Poool's page view declares the article premium
//	vendor:<vendor>                      the tool's markup is in the page (a container,
//	                                     widget or empty placeholder)
//	markup:paywall                       a block named like a wall that holds no barrier
//	wall:<vendor>|wall:paywall           a tool's barrier or overlay, or a block named like
//	                                     a wall, holding the barrier (wall:steady is
//	                                     Steady's ___STEADY_PAYWALL___ marker); a plain
//	                                     name ("sub-wall", "gate") is not a declaration
//	                                     and counts as a prompt only
//	prompt:subscribe, prompt:meter       a subscription (or registration) prompt or meter
//	                                     banner, by wording and shape
//	prompt:donate                        a donation box in the story (an ask in the
//	                                     masthead, menus or footer is furniture)
//	prompt:signup                        a sign-up box in the story named as an upsell
//	                                     ("subscription-upsell"); one named as a
//	                                     newsletter is furniture
//
// The kind follows this table. "Gated" means the page itself marks the
// article as not free: a declaration (any isAccessibleForFree=false, a
// locked or metered tier, a paywall meta, Poool's premium page view),
// markup that shows a wall (a tool's or a "paywall"-named barrier, an AMP
// content section, Steady's marker) or a meter banner. Scripts, vendor
// containers, placeholders, prompts and blocks merely class-named like a
// wall alone never gate: publishers load their paywall everywhere and drop
// prompts into free stories. A page that claims the
// article is free (isAccessibleForFree true, a free tier or paywall meta)
// outweighs markup and meters, which templates put on every article, but
// not a declaration; and prompts that AMP shows only when access is not
// granted do not count there.
//
//	gated | prompt               | text served                  | kind
//	------+----------------------+------------------------------+---------------------
//	no    | none                 | any                          | none (signals kept)
//	no    | yes (donations too)  | whole                        | soft
//	no    | says "continue", at  | < endWallWords               | hard, truncated
//	      | the end of the text  |                              | (soft if claimed free)
//	yes   | any                  | cut (see below)              | hard, truncated
//	yes   | any                  | whole                        | metered
//
// A gated text is cut when the declared gated element is empty or holds
// only its barrier; when it holds the text, only a teaser-length text that
// ends at a barrier is cut (below endWallWords when the tier is locked: a
// locked article is not metered, so the text before its offer is the
// teaser; so, too, when the barrier says the article is reserved or goes
// on behind it, as a metered page that serves the whole text does not,
// unless the tier says metered).
// Without a resolvable gated element the text is
// cut when it ends at a barrier (wall or subscribe prompt; overlays and
// meters aside, as they sit anywhere) before endWallWords, when the
// declared wordCount is half again as long, or when it is shorter than
// teaserWords whatever follows it: a paragraph or two, too short for a
// story, the length of the teasers served by walls injected by script.
// Shortness alone is weak evidence, so teaserWords stays below the length
// of a short news brief.
const (
	teaserWords = 100
	// servedPartWords is the most prose a declared gated part holds on a
	// page that cut it: the teaser it starts with.
	servedPartWords = 2 * teaserWords
	endWallWords    = 350
	// emptyWords is the most story text a gated element may hold and
	// still be the empty slot the full text would have filled.
	emptyWords = 20
)

// partState is what the declared gated element turned out to hold; ""
// when the page declares none.
type partState string

const (
	partText    partState = "text"
	partEmpty   partState = "empty"
	partAbsent  partState = "absent"
	partInvalid partState = "invalid"
)

// walls is everything a page says about its wall, gathered before the
// text is rendered: the signals, the blocks to keep out of the text, and
// what the verdict needs.
type walls struct {
	signals []string
	// declared is set by metadata that says the article is not free
	// (isAccessibleForFree, tier, paywall meta, Poool's premium view);
	// marked by markup that shows a wall (a barrier, an AMP content
	// section, Steady's marker); meter by a meter banner. free is the
	// page's own claim that the article is free: it outweighs markup and
	// meters, never a declaration.
	declared, marked, meter, free bool
	// locked is set by a locked content tier: the publisher says the
	// article is withheld, not metered, so a text that stops at its wall
	// is the teaser even when the gated element holds it.
	locked bool
	// faded is set by an empty fade drawn over the end of a teaser
	// (fadesTeaser): a layer saying the story continues stops it, wherever
	// the layer's markup stands.
	faded bool
	// namesPart is set when the page names its gated part (a hasPart
	// cssSelector or microdata): a layer after the text saying the story
	// continues stops it there, and the part's measure (cut) tells a
	// teaser from a full text under a meter's nag.
	namesPart bool
	// meteredTier is set by a metered content tier: the publisher says
	// the article is metered, which a barrier's wording does not overrule.
	meteredTier bool
	prompts     []prompt
	// appeals counts the donation boxes found: prompts that make a free
	// page soft, never a wall.
	appeals int
	// upsells counts the sign-up boxes named as the publisher's upsell
	// or wall ("subscription-upsell"): a prompt, stripped and reported,
	// where a box named or worded as a newsletter is furniture.
	upsells int
	// strip holds every block that must not reach the text: prompts,
	// boxes, barriers, overlays, AMP not-granted sections, markers.
	strip map[*html.Node]bool
	// barriers stop the story where they stand (overlays excluded): one
	// after the last text served means the text ends at its wall.
	barriers []*html.Node
	// reserved are the barriers that say the article is reserved or
	// continues behind them ("This article is for members only").
	reserved []*html.Node
	// parts are the declared gated elements, and selectors the
	// microdata cssSelectors naming more; selectorErr is set when a
	// declared selector did not parse and partsAbsent when one matched
	// nothing.
	parts       []*html.Node
	selectors   []string
	partsAbsent bool
	selectorErr bool
	part        partState
	// partWords is the story's words inside the declared gated parts.
	partWords int
	// ampServed is set when an AMP content section holds the story's
	// prose: the page serves what the runtime shows an entitled reader,
	// and the not-granted offer beside it is shown instead, not after.
	ampServed bool
	// stats are the page's text statistics, counted once for every stage
	// that measures blocks.
	stats *textStats
}

func (w *walls) signal(s string) {
	for _, have := range w.signals {
		if have == s {
			return
		}
	}
	w.signals = append(w.signals, s)
}

// scanWalls reads the page's wall: declarations in metadata and scripts,
// the tools' markup, prompts and boxes by wording and shape, and the
// declared gated part, measured once the blocks to strip are known.
func scanWalls(doc *goquery.Document, ld *linkedData) *walls {
	root := doc.Get(0)
	w := &walls{strip: map[*html.Node]bool{}, stats: newTextStats(root)}
	w.readPage(root, ld)
	w.namesPart = len(w.selectors) > 0 || len(ld.gatedSelectors) > 0
	w.readMarkup(root)
	siteAppeal := siteAppeals(root, w.stats)
	for _, p := range findPrompts(root, w.stats) {
		// An appeal inside a wall's barrier ("Become a member for $6 a
		// month") is the wall's offer, not a donation box; one outside
		// the story's <article> is the site's standing appeal,
		// furniture like a "Donate" link in the footer, and so is a
		// box of nothing but links.
		if p.ask == appealAsk && !insideStripped(p.node, w.strip) && !siteAppeal(p.node) && !w.stats.allLinks(p.node) {
			w.appeals++
		}
		if p.ask == signupAsk && upsellNamed(p.node) {
			w.upsells++
		}
		w.strip[p.node] = true
		if p.ask.isWall() && !(w.free && insideConditional(p.node)) {
			w.prompts = append(w.prompts, p)
		}
	}
	for _, p := range w.prompts {
		if p.ask == meterAsk {
			w.signal("prompt:meter")
			w.meter = true
		} else {
			w.signal("prompt:subscribe")
		}
		if (p.ask == subscribeAsk || p.continues) && w.stopsStory(p.node, p.continues) {
			w.barriers = append(w.barriers, p.node)
			if p.continues {
				w.reserved = append(w.reserved, p.node)
			}
		}
	}
	w.dropShownInstead()
	if w.appeals > 0 {
		w.signal("prompt:donate")
	}
	if w.upsells > 0 {
		w.signal("prompt:signup")
	}
	w.measureParts(root, append(w.selectors, ld.gatedSelectors...))
	return w
}

// upsellNamed reports whether n is named as an upsell
// ("subscription-upsell") rather than as a newsletter box. Names of
// walls and layers are not enough: sites give their newsletter pop-ups
// and widgets those ("modal", "jetpack_subscription_widget").
func upsellNamed(n *html.Node) bool {
	h := hint(n)
	return strings.Contains(h, "upsell") && !strings.Contains(h, "newsletter")
}

// stopsStory reports whether a barrier n marks where the story stops (see
// stopsStory); on a page declared locked, also a layer offering a
// subscription or saying the story continues behind it, wherever the
// layer is drawn, since a locked page runs no meter whose nag would cover
// a full text; and a layer saying the story continues, on a page whose
// text ends under an empty fade or that names its gated part.
func (w *walls) stopsStory(n *html.Node, continues bool) bool {
	return stopsStory(n, continues) || w.locked || (w.faded || w.namesPart) && continues
}

// dropShownInstead forgets the barriers AMP shows instead of a content
// section the page serves with the story's prose: the reader without
// access sees the offer in place of the text, not after it.
func (w *walls) dropShownInstead() {
	if !w.ampServed {
		return
	}
	w.barriers = slices.DeleteFunc(w.barriers, insideConditional)
	w.reserved = slices.DeleteFunc(w.reserved, insideConditional)
}

// siteAppeals returns a test of whether a donation box is the site's
// standing appeal, as much furniture as a "Donate" link in its footer: a
// box named or placed as a footer ("donation-footer") outside the
// <article> that holds the story. A box after the story not so named is
// the story's (soft), as blind writers label it. The story's <article> is
// the one with the most text, when it holds at least half the text of all
// the page's outermost articles; a live blog's entries, each an <article>
// of its own, hold no story alone. It is looked up once, and only when a
// box is found: most pages have none.
func siteAppeals(root *html.Node, stats *textStats) func(n *html.Node) bool {
	looked := false
	var story *html.Node
	return func(n *html.Node) bool {
		if !looked {
			looked = true
			story = storyArticle(root, stats)
		}
		if story == nil || n == story || hasAncestor(n, func(p *html.Node) bool { return p == story }) {
			return false
		}
		return footerNamed(n) || hasAncestor(n, footerNamed)
	}
}

// footerNamed reports whether element n is a footer or named like one.
func footerNamed(n *html.Node) bool {
	return isTag(n, atom.Footer) || strings.Contains(hint(n), "footer")
}

// storyArticle returns the outermost <article> holding at least half the
// text of all outermost articles and more than any other, or nil.
func storyArticle(root *html.Node, stats *textStats) *html.Node {
	var best *html.Node
	bestChars, all := 0, 0
	walk(root, func(c *html.Node) bool {
		if isTag(c, atom.Article) {
			chars, _ := stats.lens(c)
			all += chars
			if chars > bestChars {
				best, bestChars = c, chars
			}
			return false
		}
		return !noText[c.DataAtom]
	})
	if best == nil || bestChars*2 < all {
		return nil
	}
	return best
}

// insideStripped reports whether n or an element above it is in strip.
func insideStripped(n *html.Node, strip map[*html.Node]bool) bool {
	for p := n; p != nil; p = p.Parent {
		if strip[p] {
			return true
		}
	}
	return false
}

// gated reports whether the page marks the article as not free.
func (w *walls) gated() bool { return w.declared || ((w.marked || w.meter) && !w.free) }

// verdict classifies the wall by the table above, given the rendered
// text's length and last text node and the JSON-LD wordCount.
func (w *walls) verdict(root, lastText *html.Node, words, declaredWords int, midSentence bool) news.Paywall {
	pw := news.Paywall{Kind: news.PaywallNone, Signals: orderSignals(w.signals)}
	atEnd := w.endsAtLayer(root, w.barriers, lastText)
	reserved := atEnd && w.endsAtLayer(root, w.reserved, lastText)
	switch {
	case w.gated() && w.cut(words, atEnd, reserved, declaredWords):
		pw.Kind = news.PaywallHard
	case w.gated() && midSentence && len(w.prompts) > 0 && words < endWallWords:
		// A short text that stops in the middle of a sentence, on a page
		// that declares the article gated and shows a wall's prompt, was
		// cut, wherever the prompt is drawn.
		pw.Kind = news.PaywallHard
	case w.gated():
		pw.Kind = news.PaywallMetered
	case len(w.prompts) == 0 && w.appeals == 0 && w.upsells == 0:
		return pw
	case !w.free && words < endWallWords && w.continuesAtEnd(root, lastText):
		pw.Kind = news.PaywallHard
	default:
		pw.Kind = news.PaywallSoft
	}
	pw.Detected = true
	pw.Truncated = pw.Kind == news.PaywallHard
	return pw
}

// endsMidSentence reports whether the text's last paragraph, a sentence
// or more long (twelve words, or sixteen Chinese or Japanese characters),
// stops without ending its sentence ("and the entries stop only after",
// "记者随机选取了其中三个小区的记录进行核对，发现"): where a server cut the
// story.
func endsMidSentence(text string) bool {
	last := strings.TrimSpace(text[strings.LastIndex(text, "\n\n")+1:])
	if storyWordCount(last) < 12 && cjkRunes(last) < 16 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(last)
	return unicode.IsLetter(r) || r == ','
}

// cut reports whether a gated page served only a teaser. atEnd is set
// when the text ends at a barrier, reserved when that barrier says the
// article is reserved or continues behind it.
func (w *walls) cut(words int, atEnd, reserved bool, declaredWords int) bool {
	switch w.part {
	case partEmpty:
		return true
	case partText:
		// A gated part served with more prose than a teaser holds is the
		// locked text itself, sent to this reader: the wall after it
		// is shown to others.
		return atEnd && (words < teaserWords || (w.locked || reserved && !w.meteredTier) && words < endWallWords && w.partWords < servedPartWords)
	}
	// On a page whose tier says metered, a prompt after the text that does
	// not say the story goes on behind it ("Suscríbete por 1 € el primer
	// mes") is the meter's nag under a full text, not its wall.
	nag := w.meteredTier && !reserved
	return words < teaserWords || (atEnd && !nag && words < endWallWords) || (declaredWords > 0 && words*3 < declaredWords*2)
}

// continuesAtEnd reports whether a prompt after the last text served says
// the story continues behind it.
func (w *walls) continuesAtEnd(root, lastText *html.Node) bool {
	for _, p := range w.prompts {
		if p.continues && endsAtBarrier(root, []*html.Node{p.node}, lastText) {
			return true
		}
	}
	return false
}

// endsAtLayer reports whether the text ends at one of the barriers: one
// comes after the last text served (endsAtBarrier) or, on a page declared
// locked or whose text ends under a fade, one is a layer drawn over the
// page, which covers the teaser wherever its markup stands (a modal at the
// top of the body).
func (w *walls) endsAtLayer(root *html.Node, barriers []*html.Node, lastText *html.Node) bool {
	return endsAtBarrier(root, barriers, lastText) || (w.locked || w.faded) && slices.ContainsFunc(barriers, insideOverlay)
}

// endsAtBarrier reports whether one of the barriers comes after the last
// text that was served (or no text was): the story stops at its wall.
func endsAtBarrier(root *html.Node, barriers []*html.Node, lastText *html.Node) bool {
	if len(barriers) == 0 {
		return false
	}
	if lastText == nil {
		return true
	}
	seen, after := false, false
	walk(root, func(n *html.Node) bool {
		if after {
			return false
		}
		if n == lastText {
			seen = true
		}
		if seen {
			for _, b := range barriers {
				if n == b {
					after = true
				}
			}
		}
		return true
	})
	return after
}

// signalOrder ranks signals by family, so that every page lists them the
// same way: declarations, the gated part, then scripts, markup and prompts.
var signalOrder = []string{"jsonld:", "microdata:", "meta:", "gated-part=", "amp:", "script:", "vendor:", "markup:", "wall:", "prompt:"}

// orderSignals returns the signals sorted by family, in the order found
// within a family.
func orderSignals(signals []string) []string {
	rank := func(s string) int {
		for i, p := range signalOrder {
			if strings.HasPrefix(s, p) {
				return i
			}
		}
		return len(signalOrder)
	}
	out := slices.Clone(signals)
	if out == nil {
		out = []string{}
	}
	slices.SortStableFunc(out, func(a, b string) int { return rank(a) - rank(b) })
	return out
}
