package parser

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestPaywallVendorsConsistent checks the table of paywall tools: every
// tool has a unique name and a way to be recognised, its fields fit
// together, and no stem or mark is claimed by two tools (or by a tool and
// the publishers' wall names) unless both declare it shared.
func TestPaywallVendorsConsistent(t *testing.T) {
	names := map[string]bool{}
	for _, v := range paywallVendors {
		switch {
		case v.name == "" || v.name != strings.ToLower(v.name) || strings.ContainsAny(v.name, " :="):
			t.Errorf("vendor %q: want a lower-case name without spaces, colons or '='", v.name)
		case names[v.name]:
			t.Errorf("vendor %q listed twice", v.name)
		}
		names[v.name] = true
		if v.markup == nil && len(v.scripts) == 0 && v.marker == "" {
			t.Errorf("vendor %q has no markup, script mark or marker: nothing recognises it", v.name)
		}
		if (v.markup == nil) != (len(v.stems) == 0) {
			t.Errorf("vendor %q: markup and stems go together", v.name)
		}
		if v.wall != nil && v.markup == nil {
			t.Errorf("vendor %q: a wall expression is read only where markup matches", v.name)
		}
		if v.premium != nil && len(v.scripts) == 0 {
			t.Errorf("vendor %q: a premium expression is read only in scripts holding a mark", v.name)
		}
		for _, a := range v.attrs {
			if !slices.Contains(v.scripts, a) {
				t.Errorf("vendor %q: attribute %q is not one of its script marks", v.name, a)
			}
		}
		for _, s := range slices.Concat(v.stems, v.scripts) {
			if len(s) < 2 || s != strings.ToLower(s) {
				t.Errorf("vendor %q: stem or mark %q must be lower case and two bytes or more", v.name, s)
			}
		}
		if v.markup != nil && !holdsStem(t, v.markup.String(), v.stems) {
			t.Errorf("vendor %q: markup %q can match a name that holds none of the stems %q", v.name, v.markup, v.stems)
		}
	}

	// A claim is a stem or mark and who makes it: a vendor, or publishers
	// naming their own walls.
	const publishers = "publishers' wall names"
	type claim struct{ item, by string }
	var stems, marks []claim
	for _, v := range paywallVendors {
		for _, s := range v.stems {
			stems = append(stems, claim{s, v.name})
		}
		for _, m := range v.scripts {
			marks = append(marks, claim{m, v.name})
		}
	}
	for _, w := range slices.Concat(strongWallWords, plainWallWords) {
		stems = append(stems, claim{w, publishers})
	}
	shares := func(by, item string) bool {
		if by == publishers {
			return true
		}
		i := slices.IndexFunc(paywallVendors, func(v paywallVendor) bool { return v.name == by })
		return slices.Contains(paywallVendors[i].shared, item)
	}
	used := map[claim]bool{}
	for _, claims := range [][]claim{stems, marks} {
		for i, a := range claims {
			for _, b := range claims[i+1:] {
				if a.by == b.by || !strings.Contains(a.item, b.item) && !strings.Contains(b.item, a.item) {
					continue
				}
				used[a], used[b] = true, true
				if !shares(a.by, a.item) || !shares(b.by, b.item) {
					t.Errorf("%q (%s) and %q (%s) overlap: declare them shared or tell them apart", a.item, a.by, b.item, b.by)
				}
			}
		}
	}
	for _, v := range paywallVendors {
		for _, s := range v.shared {
			if !used[claim{s, v.name}] {
				t.Errorf("vendor %q declares %q shared, but no other vendor or wall name overlaps it", v.name, s)
			}
		}
	}
}

// holdsStem reports whether every string the expression matches holds one
// of the stems. Each way through the expression is spelled out, with
// "\x00" for what is not a literal (classes, repeats, anchors): a stem in
// a run of literals is in every match that takes that way.
func holdsStem(t *testing.T, expr string, stems []string) bool {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 10000
	var spell func(re *syntax.Regexp) []string
	spell = func(re *syntax.Regexp) []string {
		switch re.Op {
		case syntax.OpEmptyMatch:
			return []string{""}
		case syntax.OpLiteral:
			if re.Flags&syntax.FoldCase != 0 {
				return []string{"\x00"}
			}
			return []string{string(re.Rune)}
		case syntax.OpCharClass:
			var out []string
			for i := 0; i < len(re.Rune); i += 2 {
				for r := re.Rune[i]; r <= re.Rune[i+1] && len(out) <= 8; r++ {
					out = append(out, string(r))
				}
			}
			if len(out) > 8 {
				return []string{"\x00"}
			}
			return out
		case syntax.OpCapture:
			return spell(re.Sub[0])
		case syntax.OpAlternate:
			var out []string
			for _, s := range re.Sub {
				out = append(out, spell(s)...)
			}
			return out
		case syntax.OpConcat:
			out := []string{""}
			for _, s := range re.Sub {
				var next []string
				for _, head := range out {
					for _, tail := range spell(s) {
						next = append(next, head+tail)
					}
				}
				if len(next) > limit {
					t.Fatalf("%q has over %d ways through it", expr, limit)
				}
				out = next
			}
			return out
		case syntax.OpQuest:
			return append([]string{""}, spell(re.Sub[0])...)
		case syntax.OpPlus:
			var out []string
			for _, s := range spell(re.Sub[0]) {
				out = append(out, s+"\x00")
			}
			return out
		case syntax.OpRepeat:
			if re.Min > 0 {
				var out []string
				for _, s := range spell(re.Sub[0]) {
					out = append(out, s+"\x00")
				}
				return out
			}
		}
		return []string{"\x00"}
	}
	for _, way := range spell(re) {
		if !containsAny(way, stems) {
			return false
		}
	}
	return true
}

// TestHoldsStem checks the spelling-out on expressions that do and do not
// hold their stems.
func TestHoldsStem(t *testing.T) {
	tests := []struct {
		expr  string
		stems []string
		want  bool
	}{
		{`mepr[-_]|mp_wrapper|memberpress`, []string{"mepr", "mp_wrapper", "memberpress"}, true},
		{`mepr[-_]|mp_wrapper|memberpress`, []string{"mepr", "memberpress"}, false},
		{`(?:^|[^a-z])tp-(?:modal|close)`, []string{"tp-"}, true},
		{`steady(?:hq)?[-_]`, []string{"steadyhq"}, false},
		{`lp_?purchase`, []string{"lp_"}, false},
		{`subscri\w*-widget`, []string{"subscri"}, true},
		{`subscri\w*-widget`, []string{"subscri-widget"}, false},
	}
	for _, tt := range tests {
		if got := holdsStem(t, tt.expr, tt.stems); got != tt.want {
			t.Errorf("holdsStem(%q, %q) = %v, want %v", tt.expr, tt.stems, got, tt.want)
		}
	}
}

// TestVendorLookupsDerived checks that each lookup the walk uses holds
// exactly the table's items.
func TestVendorLookupsDerived(t *testing.T) {
	namesOf := func(vs []paywallVendor) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.name)
		}
		return out
	}
	var withMarkup, withScripts, withMarker, stems, marks, attrs []string
	for _, v := range paywallVendors {
		if v.markup != nil {
			withMarkup = append(withMarkup, v.name)
		}
		if len(v.scripts) > 0 {
			withScripts = append(withScripts, v.name)
		}
		if v.marker != "" {
			withMarker = append(withMarker, v.name)
		}
		stems = append(stems, v.stems...)
		marks = append(marks, v.scripts...)
		attrs = append(attrs, v.attrs...)
	}
	stems = slices.Concat(stems, strongWallWords, plainWallWords)
	sorted := func(s []string) []string { return slices.Compact(slices.Sorted(slices.Values(s))) }
	for _, c := range []struct {
		lookup    string
		got, want []string
	}{
		{"vendorMarkup", namesOf(vendorMarkup), withMarkup},
		{"scriptVendors", namesOf(scriptVendors), withScripts},
		{"wallMarkers", namesOf(wallMarkers), withMarker},
		{"wallStemList", sorted(wallStemList), sorted(stems)},
		{"scriptAttrs", sorted(scriptAttrs), sorted(attrs)},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s holds %q, want %q", c.lookup, c.got, c.want)
		}
	}
	if len(wallStemList) != len(sorted(wallStemList)) {
		t.Errorf("wallStemList repeats a stem: %q", wallStemList)
	}
	for _, s := range stems {
		if !wallStems.in(s) || !wallStemsAnyCase.in(strings.ToUpper(s)) {
			t.Errorf("wallStems or wallStemsAnyCase lacks %q", s)
		}
	}
	for _, m := range marks {
		if !scriptMarks.in(strings.ToUpper(m)) {
			t.Errorf("scriptMarks lacks %q", m)
		}
	}
}

// TestEveryVendorScriptMark loads each tool's marks, one page each, in
// either case, and checks that the page is found to load that tool and no
// other; and that each tool's marker marks a wall where it stands.
func TestEveryVendorScriptMark(t *testing.T) {
	scan := func(page string) *walls {
		root, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		w := &walls{strip: map[*html.Node]bool{}}
		w.readPage(root, &linkedData{})
		w.readMarkup(root)
		return w
	}
	for _, v := range paywallVendors {
		var pages []string
		for _, m := range v.scripts {
			pages = append(pages,
				`<script src="https://cdn.example.org/`+m+`/x.js"></script>`,
				`<link rel="stylesheet" href="https://cdn.example.org/`+strings.ToUpper(m)+`.css">`,
				`<script>var x = 1; `+m+`</script>`)
		}
		for _, a := range v.attrs {
			pages = append(pages, `<script src="/x.js" `+a+`="https://example.org/"></script>`)
		}
		for _, page := range pages {
			if got, want := scan(page).signals, []string{"script:" + v.name}; !slices.Equal(got, want) {
				t.Errorf("%s: signals %q, want %q", page, got, want)
			}
		}
		if v.marker != "" {
			w := scan(`<article><p>Story.</p><p>` + v.marker + `</p><p>Rest.</p></article>`)
			if want := []string{"wall:" + v.name}; !slices.Equal(w.signals, want) || !w.marked || len(w.barriers) != 1 {
				t.Errorf("marker %q: signals %q, marked %v, %d barriers; want %q, a wall and its barrier", v.marker, w.signals, w.marked, len(w.barriers), want)
			}
		}
	}
}

// TestEveryVendorOnACorpusPage checks that each tool of the table is
// recognised on at least one page whose golden article is kept in
// testdata: a tool added without a page to show it fails here.
func TestEveryVendorOnACorpusPage(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.golden.json"))
	more, _ := filepath.Glob(filepath.Join("testdata", "paywall", "*", "*.golden.json"))
	seen := map[string]bool{}
	for _, f := range append(files, more...) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var golden struct {
			Paywall struct{ Signals []string }
		}
		if err := json.Unmarshal(raw, &golden); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, s := range golden.Paywall.Signals {
			if family, name, ok := strings.Cut(s, ":"); ok && (family == "vendor" || family == "wall" || family == "script") {
				seen[strings.TrimSuffix(name, "=premium")] = true
			}
		}
	}
	for _, v := range paywallVendors {
		if !seen[v.name] {
			t.Errorf("vendor %q is on no page of testdata: add a dev page of the paywall corpus that shows it", v.name)
		}
	}
}

// TestPromptHintNamesEveryVendor checks that the renderer's prompt names
// follow the table: a name of each tool's markup, as its pages carry it,
// is a prompt's name, and so is a tool added to the table.
func TestPromptHintNamesEveryVendor(t *testing.T) {
	names := map[string]string{
		"piano": "tp-modal", "poool": "poool-widget", "zephr": "zephr-feature", "pelcro": "pelcro-modal",
		"laterpay": "lp_purchase-overlay", "steady": "steady-paywall-container", "memberful": "memberful-overlay",
		"memberpress": "mepr-unauthorized-message", "rcp": "rcp_restricted", "pmpro": "pmpro_content_message",
		"wc-memberships": "wc-memberships-restriction", "ghost": "gh-post-upgrade-cta", "substack": "subscribe-widget",
		"leaky-paywall": "leaky_paywall_message",
	}
	for _, v := range vendorMarkup {
		h, ok := names[v.name]
		switch {
		case !ok:
			t.Errorf("vendor %q: add a name of its markup here", v.name)
		case !v.markup.MatchString(h):
			t.Errorf("vendor %q: %q is not its markup", v.name, h)
		case !promptHint.match(h):
			t.Errorf("vendor %q: promptHint misses %q", v.name, h)
		}
	}
	for _, h := range []string{"article-body", "story-content", "piazza", "stp-x"} {
		if promptHint.match(h) {
			t.Errorf("promptHint matches %q", h)
		}
	}
}
