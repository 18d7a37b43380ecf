package parser

import (
	"encoding/json"
	"html"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// linkedData is what the page's JSON-LD blocks say about it.
type linkedData struct {
	// article is the page's own story object (Article, NewsArticle,
	// BlogPosting...), found at the top level, in @graph or as a page's
	// mainEntity; stories listed inside an ItemList do not count.
	article map[string]any
	// listing is true when a top-level object is a collection, item list,
	// search or profile page.
	listing bool
	// gated is true when isAccessibleForFree is false anywhere; free when
	// the article itself says it is true.
	gated, free bool
	// gatedSelectors are the cssSelector values of parts marked not free:
	// the containers that hold (or should hold) the gated text.
	gatedSelectors []string
	byID           map[string]map[string]any
}

// readLinkedData decodes every application/ld+json script of the page. A
// broken block is skipped: publishers' JSON-LD is often hand-made.
func readLinkedData(doc *goquery.Document) linkedData {
	ld := linkedData{byID: map[string]map[string]any{}}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if !strings.Contains(strings.ToLower(s.AttrOr("type", "")), "ld+json") {
			return
		}
		for _, v := range decodeJSONValues(s.Text()) {
			ld.index(v)
			for _, top := range topObjects(v) {
				ld.consider(top)
			}
		}
	})
	ld.free = ld.article != nil && isTrue(ld.article["isAccessibleForFree"])
	return ld
}

// decodeJSONValues reads the JSON values in a script body, tolerating HTML
// comment and CDATA wrappers and raw line breaks inside strings.
func decodeJSONValues(src string) []any {
	src = strings.NewReplacer("<!--", "", "-->", "", "<![CDATA[", "", "]]>", "",
		"\n", " ", "\r", " ", "\t", " ").Replace(src)
	src = strings.TrimPrefix(strings.TrimSpace(src), "//")
	dec := json.NewDecoder(strings.NewReader(src))
	var out []any
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			return out
		}
		out = append(out, v)
	}
}

// index walks the whole value: it records objects by @id and the
// isAccessibleForFree flags, which count at any depth.
func (ld *linkedData) index(v any) {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			ld.index(e)
		}
	case map[string]any:
		if id, ok := t["@id"].(string); ok && len(t) > len(ld.byID[id]) {
			ld.byID[id] = t
		}
		for k, e := range t {
			if strings.EqualFold(k, "isAccessibleForFree") && isFalse(e) {
				ld.gated = true
				ld.gatedSelectors = append(ld.gatedSelectors, strs(t["cssSelector"])...)
			}
			ld.index(e)
		}
	}
}

// topObjects returns the objects that describe the page itself: the value or
// array elements, the members of @graph, and their mainEntity.
func topObjects(v any) []map[string]any {
	var out []map[string]any
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			out = append(out, topObjects(e)...)
		}
	case map[string]any:
		out = append(out, t)
		if g, ok := t["@graph"]; ok {
			out = append(out, topObjects(g)...)
		}
		if m, ok := t["mainEntity"].(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func (ld *linkedData) consider(obj map[string]any) {
	for _, typ := range types(obj) {
		switch {
		case isArticleType(typ):
			if ld.article == nil {
				ld.article = obj
			}
		case typ == "CollectionPage" || typ == "ItemList" || typ == "SearchResultsPage" || typ == "ProfilePage":
			ld.listing = true
		}
	}
}

func types(obj map[string]any) []string {
	var out []string
	for _, t := range strs(obj["@type"]) {
		t = strings.TrimPrefix(t, "schema:")
		if i := strings.LastIndexAny(t, "/#"); i >= 0 {
			t = t[i+1:]
		}
		out = append(out, t)
	}
	return out
}

func isArticleType(t string) bool {
	return strings.HasSuffix(t, "Article") || t == "BlogPosting" || t == "LiveBlogPosting" || t == "Report"
}

// isFalse reports whether a schema.org boolean is false in any of the forms
// publishers write it: false, "false", "False", "http://schema.org/False".
func isFalse(v any) bool {
	switch t := v.(type) {
	case bool:
		return !t
	case string:
		s := strings.ToLower(strings.TrimSpace(t))
		if i := strings.LastIndexAny(s, "/:"); i >= 0 {
			s = s[i+1:]
		}
		return s == "false"
	case []any:
		return len(t) == 1 && isFalse(t[0])
	}
	return false
}

// isTrue reports whether a schema.org boolean is true, in the same forms.
func isTrue(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		s := strings.ToLower(strings.TrimSpace(t))
		if i := strings.LastIndexAny(s, "/:"); i >= 0 {
			s = s[i+1:]
		}
		return s == "true"
	case []any:
		return len(t) == 1 && isTrue(t[0])
	}
	return false
}

// resolve follows a {"@id": ...} reference to the full object in the page.
func (ld *linkedData) resolve(v any) any {
	if m, ok := v.(map[string]any); ok {
		if id, ok := m["@id"].(string); ok && len(m) <= 2 {
			if full, ok := ld.byID[id]; ok {
				return full
			}
		}
	}
	return v
}

// str returns the article's field as one clean string: a string, the first
// of an array, or an object's name, url or @value.
func (ld *linkedData) str(key string) string {
	if ld.article == nil {
		return ""
	}
	for _, s := range strs(ld.resolve(ld.article[key])) {
		if s = clean(html.UnescapeString(s)); s != "" {
			return s
		}
	}
	return ""
}

// names returns the names in an author-like field: strings, Person or
// Organization objects (resolved through @id), or arrays of them.
func (ld *linkedData) names(key string) []string {
	if ld.article == nil {
		return nil
	}
	var out []string
	var add func(v any)
	add = func(v any) {
		switch t := ld.resolve(v).(type) {
		case string:
			out = append(out, html.UnescapeString(t))
		case []any:
			for _, e := range t {
				add(e)
			}
		case map[string]any:
			if n, ok := t["name"]; ok {
				add(n)
			}
		}
	}
	add(ld.article[key])
	return out
}

// publisherName is the name of the article's publisher, or of the WebSite
// or Organization that the page describes.
func (ld *linkedData) publisherName() string {
	if ld.article != nil {
		if p, ok := ld.resolve(ld.article["publisher"]).(map[string]any); ok {
			if n := strs(p["name"]); len(n) > 0 {
				return clean(html.UnescapeString(n[0]))
			}
		}
	}
	return ""
}

// strs flattens a JSON-LD value to strings: a string, the strings of an
// array, or an object's name, url or @value.
func strs(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, strs(e)...)
		}
		return out
	case map[string]any:
		for _, k := range []string{"name", "url", "@value", "contentUrl"} {
			if s := strs(t[k]); len(s) > 0 {
				return s
			}
		}
	}
	return nil
}

// wordCount returns the article's declared wordCount, or 0.
func (ld *linkedData) wordCount() int {
	if ld.article == nil {
		return 0
	}
	switch t := ld.article["wordCount"].(type) {
	case float64:
		return int(t)
	case string:
		n, _ := strconv.Atoi(strings.TrimSpace(t))
		return n
	}
	return 0
}
