package parser

import (
	"strings"

	"golang.org/x/net/html"
)

// Hostile or broken pages must cost bounded time and memory: the crawler
// parses whatever a server sends, up to crawl.max_body_bytes. The DOM
// itself is bounded by the body size; what can blow up is work per byte.
// JSON-LD is decoded into maps and walked recursively, so a page with
// thousands of blocks, or one block nested thousands deep, is capped here.
// Real pages stay far below the caps: a news page has a handful of blocks
// of a few kilobytes, nested a dozen levels.
const (
	// maxLinkedDataBlocks is how many application/ld+json scripts are read.
	maxLinkedDataBlocks = 32
	// maxLinkedDataBytes is the largest block read; maxLinkedDataTotal the
	// most read in all.
	maxLinkedDataBytes = 1 << 20
	maxLinkedDataTotal = 4 << 20
	// maxLinkedDataDepth is the deepest nesting of arrays and objects a
	// block may have (encoding/json allows 10,000).
	maxLinkedDataDepth = 64
	// maxAttrBytes is the longest attribute value kept, other than URLs
	// and meta content: class names and ids are matched against patterns
	// on every ancestor check, and no real class list is 4 KB long.
	maxAttrBytes = 4 << 10
)

// limitAttributes cuts attribute values longer than maxAttrBytes, so a
// page with a megabyte-long class costs what a page with a long one does.
func limitAttributes(root *html.Node) {
	walk(root, func(n *html.Node) bool {
		for i, a := range n.Attr {
			if len(a.Val) > maxAttrBytes && a.Key != "href" && a.Key != "src" && a.Key != "content" && a.Key != "srcset" {
				n.Attr[i].Val = strings.ToValidUTF8(a.Val[:maxAttrBytes], "")
			}
		}
		return true
	})
}

// limitLinkedData empties the JSON-LD scripts beyond the caps, so that
// readLinkedData skips them.
func limitLinkedData(root *html.Node) {
	blocks, total := 0, 0
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode || n.Data != "script" || !strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
			return true
		}
		src := scriptText(n)
		blocks++
		total += len(src)
		if blocks > maxLinkedDataBlocks || len(src) > maxLinkedDataBytes || total > maxLinkedDataTotal || jsonDepth(src) > maxLinkedDataDepth {
			for c := n.FirstChild; c != nil; c = n.FirstChild {
				n.RemoveChild(c)
			}
		}
		return false
	})
}

// jsonDepth returns the deepest nesting of brackets and braces outside
// strings in src; cheap enough to run before decoding.
func jsonDepth(src string) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// scriptText is the raw text of a script element (textOf skips scripts).
func scriptText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
