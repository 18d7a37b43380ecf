package parser

import "regexp"

// paywallVendor is what the parser knows of one paywall or membership
// tool. Its name is the one in the signals vendor:<name>, wall:<name> and
// script:<name>; every other field is one way to recognise the tool, and
// a tool lacks the ways it does not have. The lookups the walk uses
// (vendorMarkup, wallStemList, scriptVendors, wallMarkers) are derived
// from paywallVendors, so a tool is described in one place; see "Adding a
// paywall vendor" in doc.go.
type paywallVendor struct {
	name string
	// markup matches the names (markupNames) of any element of the tool:
	// a container, a widget, an empty placeholder. It is reported, never
	// decisive. stems are lower-case strings every match of markup holds:
	// a cheap test that spares the expression the names of other tools.
	stems  []string
	markup *regexp.Regexp
	// wall matches the tool's barriers and overlays among those, which
	// count only when they hold one (see isBarrier); nil means any
	// element of the tool may.
	wall *regexp.Regexp
	// scripts are lower-case marks in the address, type, id or inline
	// code of a script or stylesheet the tool loads. Loading one is not
	// gating: sites load their paywall on every page.
	scripts []string
	// attrs are attributes whose presence on a script marks the tool:
	// the script is read with their names, each one of scripts.
	attrs []string
	// premium matches the tool's inline code when it declares this
	// article gated (script:<name>=premium), which it does per article.
	premium *regexp.Regexp
	// marker is text the tool's publishers put where the wall starts; the
	// tool's script hides what follows, so the full text is served.
	marker string
	// contentAttr is the attribute the tool's publishers put on the
	// element holding the article it locks (Poool's data-poool, the share
	// to show): a declaration, like the marker, with the full text served.
	contentAttr string
	// shared are the stems and marks the tool shares with another tool or
	// with the names publishers give their own walls (strongWallWords,
	// plainWallWords): one holds the other, so a name holding one is
	// tested for both. TestPaywallVendorsConsistent allows only these.
	shared []string
}

// paywallVendors are the paywall and membership tools the parser
// recognises.
var paywallVendors = []paywallVendor{
	{name: "piano", stems: []string{"piano", "tinypass", "tp-"},
		markup:  regexp.MustCompile(`(?:^|[^a-z])(?:piano|tinypass)|(?:^|[^a-z])tp-(?:modal|container|backdrop|iframe|active|close)`),
		scripts: []string{"tinypass", "piano.io", "tp.push(", "window.tp "},
		// tp.push(["setTags", ["metered"]]), tp.push(["setZone", "Article-Premium"])
		premium: regexp.MustCompile(`settags["']?\s*,\s*\[[^\]]{0,200}["'](?:premium|metered|locked|paid)["']|` +
			`setzone["']?\s*,\s*["'][^"']{0,40}\b(?:premium|metered|locked|paid)\b`)},
	{name: "poool", stems: []string{"poool"}, markup: regexp.MustCompile(`poool`),
		scripts: []string{"poool"}, contentAttr: "data-poool",
		// poool("send", "page-view", "premium")
		premium: regexp.MustCompile(`page-?view["']?\s*,\s*["'](?:premium|subscription)["']|pagetype["']?\s*:\s*["']premium["']`)},
	{name: "zephr", stems: []string{"zephr"}, markup: regexp.MustCompile(`zephr`), scripts: []string{"zephr"}},
	{name: "pelcro", stems: []string{"pelcro"}, markup: regexp.MustCompile(`pelcro`),
		wall:    regexp.MustCompile(`pelcro[-_]?(?:paywall|wall|modal|overlay|meter)`),
		scripts: []string{"pelcro"}},
	{name: "laterpay", stems: []string{"laterpay", "lp_"}, markup: regexp.MustCompile(`laterpay|(?:^|[^a-z])lp_`),
		wall:    regexp.MustCompile(`laterpay|lp_purchase|lp_paywall`),
		scripts: []string{"laterpay"}},
	{name: "steady", stems: []string{"steady"}, markup: regexp.MustCompile(`steady(?:hq)?[-_]`),
		wall: regexp.MustCompile(`steady[-_]?paywall`),
		// The marker, or the element Steady's WordPress plugin renders in
		// its place, is where the author cut this post.
		scripts: []string{"steadyhq"}, marker: "___STEADY_PAYWALL___", contentAttr: "data-steady-paywall"},
	{name: "memberful", stems: []string{"memberful"}, markup: regexp.MustCompile(`memberful`), scripts: []string{"memberful"}},
	{name: "memberpress", stems: []string{"mepr", "mp_wrapper", "memberpress"}, markup: regexp.MustCompile(`mepr[-_]|mp_wrapper|memberpress`),
		wall:    regexp.MustCompile(`mepr[-_]unauthorized`),
		scripts: []string{"memberpress"}},
	{name: "rcp", stems: []string{"rcp"}, markup: regexp.MustCompile(`(?:^|[^a-z])rcp[-_]`),
		wall:    regexp.MustCompile(`rcp[-_](?:restricted|no[-_]access)`),
		scripts: []string{"restrict-content-pro"}},
	{name: "pmpro", stems: []string{"pmpro"}, markup: regexp.MustCompile(`pmpro`),
		wall:    regexp.MustCompile(`pmpro[-_]content[-_]message`),
		scripts: []string{"paid-memberships-pro"}},
	{name: "wc-memberships", stems: []string{"wc-memberships"}, markup: regexp.MustCompile(`wc-memberships`),
		wall:    regexp.MustCompile(`wc-memberships-(?:restriction|restricted|content-restricted)`),
		scripts: []string{"woocommerce-memberships"}},
	{name: "ghost", stems: []string{"gh-post-upgrade-cta", "data-portal", "data-members", "members-only"},
		markup:  regexp.MustCompile(`gh-post-upgrade-cta|data-portal|data-members|members-only`),
		wall:    regexp.MustCompile(`gh-post-upgrade-cta|members-only`),
		scripts: []string{"ghost/portal", "data-ghost"}, attrs: []string{"data-ghost"}},
	{name: "substack", stems: []string{"subscri", "paywall"},
		markup:  regexp.MustCompile(`subscri\w*-widget|subscribewidget|paywall-jump|paywalltodom|component-name=paywall\b`),
		wall:    regexp.MustCompile(`component-name=paywall(?:$|\s)`),
		scripts: []string{"substackcdn", "substack.com/"},
		// Substack's paywall blocks are also named like the publishers'.
		shared: []string{"paywall"}},
	{name: "leaky-paywall", stems: []string{"leaky"}, markup: regexp.MustCompile(`leaky[-_]?paywall`),
		wall:    regexp.MustCompile(`leaky[-_]?paywall[-_]?(?:message|restricted|subscribe)`),
		scripts: []string{"leaky-paywall", "leaky_paywall"}},
	{name: "amp-subscriptions", scripts: []string{"amp-subscriptions"}},
}

// gatedConfig matches a page's own configuration of its paywall tool,
// inline beside the tool's code, when it declares this article gated:
// premium: "metered", contentType: "member-article", paywall: true. It is
// read only in a script that names a tool, as premium is.
var gatedConfig = regexp.MustCompile(`\b(?:premium|paywall|is_?premium|content_?tier|access_?level|content_?type)["']?\s*[:=]\s*` +
	`["']?(?:true|metered|locked|premium|paid|members?(?:-only|-article)?|subscribers?(?:-only)?)["',\s}]|` +
	`\bmetered["']?\s*[:=]\s*["']?(?:true|1)["',\s}]`)

// The lookups of the walk, derived from paywallVendors.
var (
	// vendorMarkup are the tools with markup, for readWall.
	vendorMarkup = vendorsWith(func(v paywallVendor) bool { return v.markup != nil })
	// scriptVendors are the tools with script marks, for readScripts.
	scriptVendors = vendorsWith(func(v paywallVendor) bool { return len(v.scripts) > 0 })
	// wallMarkers are the tools with a marker, for readMarkup.
	wallMarkers = vendorsWith(func(v paywallVendor) bool { return v.marker != "" })
	// contentMarkers are the tools with a content attribute, for readMarkup.
	contentMarkers = vendorsWith(func(v paywallVendor) bool { return v.contentAttr != "" })
	// scriptAttrs are the tools' attrs, for readScripts.
	scriptAttrs = func() []string {
		var all []string
		for _, v := range scriptVendors {
			all = append(all, v.attrs...)
		}
		return all
	}()
	// wallStemList is every tool's stems and the names publishers give
	// their own walls (see wallStems).
	wallStemList = func() []string {
		var all []string
		for _, v := range vendorMarkup {
			all = append(all, v.stems...)
		}
		return dedupe(append(append(all, strongWallWords...), plainWallWords...))
	}()
)

// vendorStems are every tool's stems, for vendorNamed.
var vendorStems = func() *literals {
	var all [][]string
	for _, v := range vendorMarkup {
		all = append(all, v.stems)
	}
	return newLiterals(all...)
}()

// vendorNamed reports whether the lower-cased names h are a paywall tool's
// markup.
func vendorNamed(h string) bool {
	if !vendorStems.in(h) {
		return false
	}
	for _, v := range vendorMarkup {
		if containsAny(h, v.stems) && v.markup.MatchString(h) {
			return true
		}
	}
	return false
}

func vendorsWith(has func(paywallVendor) bool) []paywallVendor {
	var out []paywallVendor
	for _, v := range paywallVendors {
		if has(v) {
			out = append(out, v)
		}
	}
	return out
}

// dedupe returns words without repeats, in their first order.
func dedupe(words []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range words {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
