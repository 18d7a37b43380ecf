package parser

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// promptKind is what a subscription prompt asks for.
type promptKind string

const (
	// subscribePrompt asks the reader to subscribe ("Subscribe Now").
	subscribePrompt promptKind = "subscribe"
	// meterPrompt counts the reader's free articles ("2 free articles
	// left"): the page runs a meter.
	meterPrompt promptKind = "meter"
)

// subscribePhrases are the calls to action of subscription walls, lower
// case with plain apostrophes. A phrase alone is not a wall: the block must
// also be shaped like one (see promptAt).
var subscribePhrases = []string{
	// English
	"become a subscriber", "subscribe now", "subscribe today", "subscribe to continue",
	"subscribe to read", "subscribe to unlock", "subscribe for full access", "subscribe for unlimited",
	"purchase a subscription", "buy a subscription", "start your subscription", "start a subscription",
	"already a subscriber", "already subscribed", "already have a subscription", "subscribers only",
	"subscriber-only", "subscriber only", "for subscribers", "exclusive to subscribers",
	"to continue reading", "to keep reading", "to read the full article", "to read the full story",
	"to read this article", "to read the rest", "unlock this article", "unlock this story",
	"get unlimited access", "unlimited digital access",
	// German
	"jetzt abonnieren", "abonnieren sie", "abo abschließen", "jetzt abo", "bereits abonnent",
	"weiterlesen mit", "lesen sie weiter mit", "exklusiv für abonnenten", "nur für abonnenten",
	"artikel freischalten", "jetzt freischalten", "um weiterzulesen",
	// French
	"abonnez-vous", "abonnez vous", "déjà abonné", "réservé aux abonnés", "pour lire la suite",
	"je m'abonne", "s'abonner",
	// Spanish
	"suscríbete", "suscribete", "suscríbase", "hazte suscriptor", "ya eres suscriptor",
	"ya soy suscriptor", "exclusivo para suscriptores", "para seguir leyendo", "para continuar leyendo",
}

// meterStems are in every text that meterWording matches.
var meterStems = []string{"free", "gratu", "gratis", "kostenlos"}

// meterWording matches a meter's count of free articles, in English,
// German, French and Spanish.
var meterWording = regexp.MustCompile(`free (?:articles?|stories|story|reads?)\b.{0,30}\b(?:left|remaining|this month)|` +
	`(?:last|final) free (?:article|story)|(?:read|viewed) \d+ (?:of|out of) \d+ free|` +
	`kostenlose[nr]? artikel|articles? gratuits?|artículos? (?:gratis|gratuitos)`)

// notAWallWords mark blocks that use subscription words for something
// else: newsletter and podcast sign-ups, and gates on comments, not on the
// story.
var notAWallWords = []string{"newsletter", "sign up for our", "in your inbox", "email address", "e-mail address",
	"e-mail-adresse", "podcast", "comment", "kommentar", "lettre d'information", "boletín"}

// signupWords mark a sign-up box.
var signupWords = []string{"newsletter", "sign up", "sign-up", "signup", "inbox", "email", "e-mail"}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// promptStems are stems that every subscription phrase, meter wording and
// sign-up wording contains: a cheap test that spares the regular
// expressions almost every block of a page.
var promptStems = []string{"subscri", "abo", "suscr", "read", "unlock", "unlimited", "lesen", "freischalten",
	"lire", "leyendo", "free", "gratu", "gratis", "kostenlos", "newsletter", "sign", "inbox", "mail"}

// mayBePrompt reports whether lower-cased text could hold prompt or sign-up
// wording.
func mayBePrompt(low string) bool { return containsAny(low, promptStems) }

// promptWording classifies the wording of a block's text.
func promptWording(text string) promptKind {
	low := strings.ToLower(strings.NewReplacer("’", "'", "‘", "'").Replace(text))
	if containsAny(low, notAWallWords) {
		return ""
	}
	if containsAny(low, meterStems) && meterWording.MatchString(low) {
		return meterPrompt
	}
	for _, p := range subscribePhrases {
		if strings.Contains(low, p) {
			return subscribePrompt
		}
	}
	return ""
}

// maxPromptWords is the most text a prompt or sign-up box holds: a heading,
// a line or two of offer and a button or form.
const maxPromptWords = 60

// prompt is one subscription prompt block found in the page.
type prompt struct {
	node *html.Node
	kind promptKind
}

// findPrompts returns the outermost blocks of the body that are
// subscription prompts, outside the site's header, navigation, footer, side
// rails and comments (a "Subscribe" link in the masthead is not a wall), and
// the sign-up boxes that are not walls but must not reach the text either.
func findPrompts(body *html.Node) (prompts []prompt, boxes []*html.Node) {
	walk(body, func(n *html.Node) bool {
		if n.Type == html.DocumentNode {
			return true
		}
		if n.Type != html.ElementNode || noText[n.DataAtom] || pageChrome(n) {
			return false
		}
		if isTag(n, atom.Html, atom.Body) {
			return true
		}
		if moreWordsThan(n, maxPromptWords) {
			return true
		}
		if !mayBePrompt(strings.ToLower(textOf(n))) {
			// Nothing below can be a prompt either: its text is part
			// of this text.
			return false
		}
		if containsAny(strings.ToLower(textOf(n)), notAWallWords) && isShortBlock(n) && !isTag(n, atom.Article, atom.Main) {
			// A newsletter box or comment gate: its "Subscribe" button
			// is not a wall, but it may be a sign-up box to strip.
			if isSignupBox(n) {
				boxes = append(boxes, n)
			}
			return false
		}
		if kind := promptAt(n); kind != "" {
			prompts = append(prompts, prompt{node: n, kind: kind})
			return false
		}
		if isSignupBox(n) {
			boxes = append(boxes, n)
			return false
		}
		return true
	})
	return prompts, boxes
}

// isSignupBox reports whether n is a newsletter or alert sign-up: a short
// block worded so, with a form field to type an address into.
func isSignupBox(n *html.Node) bool {
	if !blockTags[n.DataAtom] || isTag(n, atom.Form) {
		return false
	}
	text := textOf(n)
	if words := wordCount(text); words == 0 || words > maxPromptWords || !containsAny(strings.ToLower(text), signupWords) || !isShortBlock(n) || holdsStory(n) {
		return false
	}
	field := false
	walk(n, func(c *html.Node) bool {
		field = field || isTag(c, atom.Input, atom.Form)
		return !field
	})
	return field
}

// promptAt reports the kind of prompt n is, or "". A prompt is worded like
// one and shaped like one: a short block of call-to-action lines (at most 60
// words, no paragraph of prose) that offers an action (a link, button or
// form) or is itself one short line. A story about subscriptions fails the
// shape test; a newsletter box fails the wording test.
func promptAt(n *html.Node) promptKind {
	text := textOf(n)
	words := wordCount(text)
	if words == 0 || words > maxPromptWords {
		return ""
	}
	kind := promptWording(text)
	if kind == "" || !isShortBlock(n) || holdsStory(n) {
		return ""
	}
	if kind == meterPrompt || words <= 12 || hasAction(n) {
		return kind
	}
	return ""
}

// storyLineWords is the length from which a paragraph inside a short block
// is taken for a line of the story rather than of a call to action.
const storyLineWords = 20

// holdsStory reports whether n is or holds part of the story itself, so
// that a short story and its wall are never stripped together: an article
// or main element, a headline, or a paragraph of storyLineWords or more
// that is not worded as a prompt or sign-up.
func holdsStory(n *html.Node) bool {
	if isTag(n, atom.Article, atom.Main, atom.Body) {
		return true
	}
	found := false
	walk(n, func(c *html.Node) bool {
		switch {
		case found || c.Type != html.ElementNode:
		case c.DataAtom == atom.H1:
			found = true
		case isTag(c, atom.P, atom.Div, atom.Li, atom.Blockquote) && isParagraph(c):
			t := textOf(c)
			found = wordCount(t) >= storyLineWords && promptWording(t) == "" && !containsAny(strings.ToLower(t), signupWords)
		}
		return !found
	})
	return found
}

// hasAction reports whether n is or holds a link, button or form control.
func hasAction(n *html.Node) bool {
	found := false
	walk(n, func(c *html.Node) bool {
		if isTag(c, atom.A, atom.Button, atom.Input, atom.Form) || strings.EqualFold(attr(c, "role"), "button") {
			found = true
		}
		return !found
	})
	return found
}
