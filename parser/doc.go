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
package parser
