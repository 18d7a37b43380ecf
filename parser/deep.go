package parser

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// flattenDepth is how deep flatten lets elements nest: far below the 512
// open elements at which x/net/html gives up, since the parser's own stack
// also holds implied elements and reopened formatting ones.
const flattenDepth = 256

// parseDocument parses a page. x/net/html refuses a page that nests more
// than 512 elements deep, which runaway unclosed tags (a <div> or <font>
// per paragraph, never closed) produce on real sites. Rather than lose the
// story, such a page is parsed again with the runaway elements closed
// (flatten).
func parseDocument(body []byte, b budget) (*goquery.Document, error) {
	doc, err := goquery.NewDocumentFromReader(deadlineReader{bytes.NewReader(body), b})
	if err == nil || !strings.Contains(err.Error(), "open stack of elements exceeds") {
		return doc, err
	}
	again, err2 := goquery.NewDocumentFromReader(deadlineReader{bytes.NewReader(flatten(body)), b})
	if err2 == nil || errors.Is(err2, errOverBudget) {
		return again, err2
	}
	return nil, err
}

// flatten copies body, closing elements left open when they would nest
// more than flattenDepth deep: the innermost half are closed there, as
// their author most likely meant, and the end tags that come for them
// later are dropped. Everything else is copied as it is. Depth is counted
// on the tags as written (void and self-closing elements open nothing),
// which is at least what the parser builds for runaway nesting.
func flatten(body []byte) []byte {
	var (
		out   bytes.Buffer
		stack []string           // elements open, as written
		early = map[string]int{} // elements closed here whose end tags are still to come
	)
	out.Grow(len(body))
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				out.Write(z.Raw())
			}
			return out.Bytes()
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			if isVoid(name) {
				break
			}
			if len(stack) >= flattenDepth {
				keep := flattenDepth / 2
				for i := len(stack) - 1; i >= keep; i-- {
					out.WriteString("</" + stack[i] + ">")
					early[stack[i]]++
				}
				stack = stack[:keep]
			}
			stack = append(stack, string(name))
		case html.EndTagToken:
			name, _ := z.TagName()
			top := len(stack) - 1
			if top >= 0 && stack[top] == string(name) {
				stack = stack[:top]
				break
			}
			if early[string(name)] > 0 {
				early[string(name)]--
				continue
			}
			for i := top; i >= 0; i-- {
				if stack[i] == string(name) {
					stack = stack[:i]
					break
				}
			}
		}
		out.Write(raw)
	}
}

// isVoid reports whether an element never has content (<br>, <img>, ...).
func isVoid(name []byte) bool {
	switch atom.Lookup(name) {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}
