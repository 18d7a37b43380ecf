// Package parser turns one fetched page into a news.Article. It is a pure
// function of (URL, HTML bytes): no I/O, no global state, and the clock
// only for the parse's time budget, so the crawler can call it inline and
// tests can pin its output with golden files.
//
// A page goes through these steps:
//
//  1. decode: the bytes become UTF-8, honouring a byte-order mark and a
//     <meta charset> or http-equiv declaration (decode.go);
//  2. metadata: JSON-LD (including @graph), Open Graph, article:* and plain
//     meta tags, microdata and byline elements give the title, authors,
//     dates, language and the rest (meta.go, jsonld.go, authors.go, dates.go);
//  3. walls: declarations (isAccessibleForFree, content tiers, paywall
//     metas, paywall tools' scripts) are read (gating.go); the tools' markup,
//     walls and overlays (walls.go) and prompts and boxes, found by their
//     wording in four languages and their shape (prompts.go, wording.go),
//     are marked to be kept out of the text; the declared gated part is
//     resolved and measured (gatedpart.go);
//  4. content: the story body is located by structure (itemprop=articleBody),
//     then by readability-style scoring of block containers on text and link
//     density and class names (content.go);
//  5. text: the body is rendered to paragraphs, skipping bylines, captions,
//     share bars, related links, newsletter boxes and every prompt (text.go),
//     and lines that are furniture by their wording: reporters' contact
//     lines (whose name is the byline of last resort), photo credits,
//     republishing notices, "follow us" and "click here for more" lines,
//     section kickers (boilerlines.go); on a page without a wall the dek
//     under the headline leads the text (dek.go);
//  6. verdict: the paywall kind follows from the signals and from how much
//     text was served, by the table in paywall.go, and pages that are
//     listings rather than stories are reported with news.ErrNotArticle
//     (listing.go);
//  7. language and entities: the declared language is checked against the
//     text's function words, which also decide when nothing is declared
//     (language.go); organisations, people and money amounts are found by
//     rules and a small gazetteer (entities.go).
//
// Before step 1's tree is built, the page's tags are counted against the
// parse budget (budget.go): a page over it, or one whose parse runs out of
// time, gets the cheap extraction of degraded.go instead of these steps.
//
// Before step 2, a source's SiteRules drop the blocks they name, and
// oversized JSON-LD and attribute values are cut (overrides.go,
// limits.go); the site's wall and body selectors join steps 3 and 4.
//
// # Adding a paywall vendor
//
// A paywall or membership tool is one entry of paywallVendors
// (vendors.go); the lookups the walk uses are derived from it. Fill in
// what the tool has and leave out what it has not:
//
//   - name: the tool in the signals vendor:<name>, wall:<name> and
//     script:<name>, lower case. Signals are stored with every indexed
//     article and held by the goldens, so a name, once given, stays.
//   - markup and stems: an expression over markupNames (the lower-cased
//     class, id and role, and data-key=value) that matches any element
//     of the tool, and strings each of its matches holds (a test proves
//     it), the cheap filter run on every element;
//   - wall: which of those elements are its barriers and overlays (nil:
//     any of them may be);
//   - scripts: lower-case marks of the address, type, id or inline code
//     of its scripts and stylesheets; attrs: attributes whose presence
//     on a script marks it (each also one of scripts);
//   - premium: an expression over its inline code that declares this
//     article gated, for tools configured per article (Poool's page view,
//     Piano's setTags); a page's own config in a script that names any
//     tool (premium: "metered", contentType: "member-article") is read by
//     gatedConfig for every tool alike;
//   - marker: text its publishers put where the wall starts (Steady's);
//   - contentAttr: the attribute its publishers put on the element holding
//     the article it locks (Poool's data-poool);
//   - shared: stems or marks that overlap another tool's or the names
//     publishers give their own walls (strongWallWords, plainWallWords),
//     declared so: TestPaywallVendorsConsistent fails on any other
//     overlap, and on a duplicate name or a tool nothing recognises.
//
// Then add pages to testdata/paywall/dev (a cases.json entry with the kind
// a reader would give each, and a golden from go test ./parser/ -run
// TestPaywallCorpusDev -update, reviewed): one the tool gates, and one
// free page that loads its script or holds its empty placeholder.
// TestEveryVendorOnACorpusPage fails until some golden shows the tool.
// Never tune to holdout/ or testdata/blind. The renderer's prompt names
// (promptHint, dom.go) read the tool's markup from this table too.
//
// What the tool's marks do to the verdict (the table in paywall.go):
// vendor:<name> and script:<name> alone never gate, as publishers load
// their tool on every page, free ones included: such a page stays none
// (soft when a prompt is found by its wording). A tool gates the page only
// by its wall: wall:<name>, an element of its wall holding a barrier (a
// short call to action outside the page's chrome, not worded as a
// sign-up, consent layer or comment gate, or an empty block holding a
// frame), or its marker or content attribute, neither of which counts on a page that claims
// the article free; or by script:<name>=premium, its premium declaration,
// which counts even then. A page so gated is metered when the whole text
// is served (see cut: at least teaserWords, not ending at a barrier before
// endWallWords, not a third shorter than a declared wordCount), else hard.
package parser
