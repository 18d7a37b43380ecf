package crawler

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// pageBytes returns the body the parser gets.
//
// The rule is: the page's own bytes, as served, because the parser detects
// the charset from a BOM or <meta charset> (the HTML encoding-sniffing
// algorithm). Re-encoding a page that declares its charset would leave a
// stale declaration behind. The one exception is a page whose only charset
// declaration is the HTTP header, which the parser never sees: it is
// transcoded to UTF-8 here, and then carries no declaration that could
// contradict it.
func pageBytes(body []byte, declared string) []byte {
	if declared == "" {
		return body
	}
	// The lookup goes first: nearly every page is declared UTF-8, and then
	// there is nothing to transcode, whatever the page says of itself.
	enc, name := charset.Lookup(declared)
	if enc == nil || name == "utf-8" || declaresCharset(body) {
		return body
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}

var boms = [][]byte{{0xEF, 0xBB, 0xBF}, {0xFE, 0xFF}, {0xFF, 0xFE}}

// declaresCharset reports whether the page names its own encoding the way
// the HTML prescan sees it: a byte-order mark, or within the first 1024
// bytes a <meta charset> or a <meta http-equiv="content-type"> whose content
// names a known charset.
func declaresCharset(body []byte) bool {
	for _, bom := range boms {
		if bytes.HasPrefix(body, bom) {
			return true
		}
	}
	if len(body) > 1024 {
		body = body[:1024]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken:
			if metaDeclaresCharset(z) {
				return true
			}
		}
	}
}

func metaDeclaresCharset(z *html.Tokenizer) bool {
	name, more := z.TagName()
	if string(name) != "meta" {
		return false
	}
	var pragma bool
	var fromContent string
	for more {
		var key, val []byte
		key, val, more = z.TagAttr()
		switch string(key) {
		case "charset":
			if e, _ := charset.Lookup(string(val)); e != nil {
				return true
			}
		case "http-equiv":
			pragma = strings.EqualFold(strings.TrimSpace(string(val)), "content-type")
		case "content":
			fromContent = charsetFromContent(string(val))
		}
	}
	if !pragma || fromContent == "" {
		return false
	}
	e, _ := charset.Lookup(fromContent)
	return e != nil
}

// charsetFromContent extracts the charset from a meta content attribute such
// as "text/html; charset=iso-8859-1".
func charsetFromContent(content string) string {
	lower := strings.ToLower(content)
	i := strings.Index(lower, "charset")
	if i < 0 {
		return ""
	}
	rest := strings.TrimSpace(content[i+len("charset"):])
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.Trim(strings.TrimSpace(rest[1:]), `"'`)
	if j := strings.IndexAny(rest, `;"' `); j >= 0 {
		rest = rest[:j]
	}
	return rest
}
