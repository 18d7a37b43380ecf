package parser

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// SiteRules correct the generic extraction on one publisher's pages, with
// CSS selectors. They are for the few sites where the generic rules pick the
// wrong block; a redesign breaks a selector silently, the generic rules
// adapt, so keep them few.
type SiteRules struct {
	// Body selects the story's body: the first selector whose matches hold
	// some prose replaces the scoring (all its matches, in page order).
	Body []string
	// Walls select the site's subscription wall or prompt. A match is kept
	// out of the text; one that holds words is a barrier (signal
	// wall:site, the page counts as marked gated), an empty one is only
	// markup (markup:site).
	Walls []string
	// Drop select blocks removed from the page before anything else reads
	// it.
	Drop []string
}

// minSiteBodyWords is how much prose a Body match must hold to be taken:
// a selector that matches an empty shell falls back to the generic rules.
const minSiteBodyWords = 20

// minSiteWallWords separates a wall that shows a barrier from an empty
// placeholder the site puts on every page.
const minSiteWallWords = 3

// Check reports every selector in o that does not parse, naming the host
// and the field, so a caller can refuse to start on a typo.
func (o Options) Check() error {
	var errs []error
	for _, host := range slices.Sorted(maps.Keys(o.Sites)) {
		r := o.Sites[host]
		for _, f := range []struct {
			name string
			sels []string
		}{{"body", r.Body}, {"walls", r.Walls}, {"drop", r.Drop}} {
			for i, s := range f.sels {
				if _, err := cascadia.Compile(s); err != nil {
					errs = append(errs, fmt.Errorf("site %s: %s[%d]: %q is not a CSS selector: %w", host, f.name, i, s, err))
				}
			}
		}
	}
	return errors.Join(errs...)
}

// siteRules are SiteRules compiled. A nil *siteRules applies nothing.
type siteRules struct {
	bodies, walls, drops []cascadia.Selector
}

func compileSites(sites map[string]SiteRules) map[string]*siteRules {
	out := map[string]*siteRules{}
	for host, r := range sites {
		out[strings.ToLower(host)] = &siteRules{bodies: compileAll(r.Body), walls: compileAll(r.Walls), drops: compileAll(r.Drop)}
	}
	return out
}

func compileAll(sels []string) []cascadia.Selector {
	var out []cascadia.Selector
	for _, s := range sels {
		if c, err := cascadia.Compile(s); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// site returns the rules for pageURL's host, or nil.
func (p *Parser) site(pageURL string) *siteRules {
	if len(p.sites) == 0 {
		return nil
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	return p.sites[strings.ToLower(u.Hostname())]
}

// drop removes the blocks the site's Drop selectors match.
func (s *siteRules) drop(root *html.Node) {
	if s == nil {
		return
	}
	for _, sel := range s.drops {
		for _, n := range sel.MatchAll(root) {
			if n.Parent != nil {
				n.Parent.RemoveChild(n)
			}
		}
	}
}

// markWalls keeps the site's walls out of the text and reports them.
func (s *siteRules) markWalls(root *html.Node, w *walls) {
	if s == nil {
		return
	}
	for _, sel := range s.walls {
		for _, n := range sel.MatchAll(root) {
			w.strip[n] = true
			if wordCount(textOf(n)) >= minSiteWallWords {
				w.signal("wall:site")
				w.marked = true
				w.barriers = append(w.barriers, n)
			} else {
				w.signal("markup:site")
			}
		}
	}
}

// body returns the story's body by the site's Body selectors: the matches
// of the first selector whose matches, outside the stripped blocks, hold
// some prose; nil when none does (the generic rules decide).
func (s *siteRules) body(root *html.Node, strip map[*html.Node]bool) []*html.Node {
	if s == nil {
		return nil
	}
	for _, sel := range s.bodies {
		var nodes []*html.Node
		words := 0
		for _, n := range sel.MatchAll(root) {
			if strip[n] || slices.ContainsFunc(nodes, func(m *html.Node) bool { return within(m, n) }) {
				continue
			}
			nodes = append(nodes, n)
			words += wordCount(textOf(n))
		}
		if words >= minSiteBodyWords {
			return nodes
		}
	}
	return nil
}

// within reports whether n is a or inside a.
func within(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}
