package parser

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// maxCharsetScan bounds how far into the page we look for a charset
// declaration. Browsers stop at 1024 bytes; publishers often put theirs after
// a long run of scripts, so we read the whole head, up to this limit.
const maxCharsetScan = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// toUTF8 decodes an HTML page to valid UTF-8 (invalid bytes become U+FFFD).
// The HTTP header's charset is the crawler's business: it converts pages
// that declare one only there, so what arrives here is either such
// converted text or the page's own bytes. A byte-order mark wins; then a
// body that is valid UTF-8 is taken as UTF-8 whatever it declares (a page
// mislabelled as Latin-1 is far more common than Latin-1 text that happens
// to be valid UTF-8), and so is one that is nearly so; then the <meta>
// declaration, unless it says UTF-8 over bytes with no UTF-8 in them; then
// windows-1252, the web's default legacy encoding.
func toUTF8(body []byte) []byte {
	if bytes.HasPrefix(body, utf8BOM) {
		return validUTF8(body[len(utf8BOM):])
	}
	if enc, _, certain := charset.DetermineEncoding(body, ""); certain {
		// Only a byte-order mark makes DetermineEncoding certain without
		// a Content-Type; BOMOverride strips it while decoding.
		return decodeWith(enc, body)
	}
	if utf8.Valid(body) {
		return body
	}
	// Not quite valid UTF-8: the bytes decide when they plainly contradict
	// the declaration. Mostly UTF-8 with a few broken bytes (a truncated
	// character, one pasted Latin-1 byte) is UTF-8 whatever it declares:
	// decoding it as Latin-1 would garble every accented letter. No UTF-8
	// sequence at all under a UTF-8 declaration is a legacy page with a
	// template's <meta charset="utf-8">.
	multi, invalid := utf8Evidence(body)
	if multi > 0 && invalid*4 <= multi {
		return validUTF8(body)
	}
	enc, name := declaredEncoding(body)
	if enc == encoding.Nop || enc == nil || (name == "utf-8" && multi == 0) {
		enc, _ = charset.Lookup("windows-1252")
	}
	return decodeWith(enc, body)
}

// maxEvidenceScan bounds the bytes utf8Evidence reads: a page's first
// 256 KiB say as much about its encoding as the rest.
const maxEvidenceScan = 256 << 10

// utf8Evidence counts the valid multi-byte UTF-8 sequences and the bytes
// that are not valid UTF-8 in body.
func utf8Evidence(body []byte) (multi, invalid int) {
	if len(body) > maxEvidenceScan {
		body = body[:maxEvidenceScan]
	}
	for len(body) > 0 {
		if body[0] < utf8.RuneSelf {
			body = body[1:]
			continue
		}
		r, size := utf8.DecodeRune(body)
		if r == utf8.RuneError && size <= 1 {
			invalid++
			size = 1
		} else {
			multi++
		}
		body = body[size:]
	}
	return multi, invalid
}

func decodeWith(enc encoding.Encoding, body []byte) []byte {
	out, _, err := transform.Bytes(unicode.BOMOverride(enc.NewDecoder()), body)
	if err != nil {
		return validUTF8(body)
	}
	return validUTF8(out)
}

func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return []byte(strings.ToValidUTF8(string(b), "\uFFFD"))
}

// declaredEncoding returns the encoding named by the first <meta charset> or
// <meta http-equiv="content-type"> before <body>, with its canonical name,
// or nil. As in browsers, a
// declared UTF-16 means UTF-8: a page that reached this point is not UTF-16.
func declaredEncoding(body []byte) (encoding.Encoding, string) {
	if len(body) > maxCharsetScan {
		body = body[:maxCharsetScan]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return nil, ""
			case "meta":
				if label := metaCharset(z, hasAttr); label != "" {
					if strings.HasPrefix(strings.ToLower(label), "utf-16") {
						label = "utf-8"
					}
					if enc, name := charset.Lookup(label); enc != nil {
						return enc, name
					}
				}
			}
		}
	}
}

func metaCharset(z *html.Tokenizer, hasAttr bool) string {
	var cs, httpEquiv, content string
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		switch strings.ToLower(string(k)) {
		case "charset":
			cs = string(v)
		case "http-equiv":
			httpEquiv = strings.ToLower(string(v))
		case "content":
			content = string(v)
		}
	}
	if cs != "" {
		return strings.TrimSpace(cs)
	}
	if httpEquiv == "content-type" {
		if _, params, err := mime.ParseMediaType(content); err == nil {
			return params["charset"]
		}
	}
	return ""
}
