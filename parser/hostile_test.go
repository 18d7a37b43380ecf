package parser

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostilePages are built to make a parser slow or hungry: each must parse
// in bounded time and memory. Sizes are what a crawler's 10 MiB body cap
// lets through.
func hostilePages() map[string]string {
	story := "<p>" + strings.Join(storyParas, "</p><p>") + "</p>"
	var ld strings.Builder
	for range 2000 {
		ld.WriteString(`<script type="application/ld+json">` + strings.Repeat(`{"a":[`, 500) + `1` + strings.Repeat(`]}`, 500) + `</script>`)
	}
	var bigLD strings.Builder
	bigLD.WriteString(`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Big","articleBody":"`)
	bigLD.WriteString(strings.Repeat("word ", 1<<20))
	bigLD.WriteString(`"}</script>`)
	return map[string]string{
		"100k nested divs":         strings.Repeat("<div>", 100_000) + story + strings.Repeat("</div>", 100_000),
		"100k nested unclosed":     strings.Repeat("<div><span>", 50_000) + story,
		"100k nested formatting":   strings.Repeat("<b><i>", 50_000) + story,
		"4 MB of text in one p":    "<p>" + strings.Repeat("lorem ipsum dolor sit amet, ", 150_000) + "</p>",
		"4 MB of one word":         "<p>" + strings.Repeat("x", 4<<20) + "</p>",
		"100k sibling paragraphs":  strings.Repeat("<p>Short line of text, with a comma.</p>", 100_000),
		"100k sibling divs":        strings.Repeat("<div class=item><a href=/x>link</a> text</div>", 100_000),
		"2 MB attribute":           `<div class="` + strings.Repeat("paywall ", 250_000) + `" data-x="` + strings.Repeat("y", 1<<20) + `">` + story + `</div>`,
		"2000 deep JSON-LD blocks": ld.String() + story,
		"5 MB JSON-LD block":       bigLD.String() + story,
		"broken markup soup":       strings.Repeat("<table><tr><td><p><b>cell</td><form><select><option>", 20_000) + story,
		"many capitalised words":   "<p>" + strings.Repeat("Alpha Beta Gamma Delta said. ", 150_000) + "</p>",
		"many money amounts":       "<p>" + strings.Repeat("$1 million, €2bn and 3 billion euros. ", 100_000) + "</p>",
	}
}

// hostileDeadline is a generous bound, not a timing assertion: it catches
// a parse that hangs or goes quadratic, which takes minutes, not seconds.
const hostileDeadline = 60 * time.Second

func TestHostileInputIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("hostile pages take seconds")
	}
	p := New(Options{})
	for name, body := range hostilePages() {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			done := make(chan struct{})
			go func() {
				defer close(done)
				a, err := p.Parse("https://hostile.example/page", []byte(body))
				checkSane(t, a, err)
				if err != nil {
					t.Logf("Parse error (allowed): %.100v", err)
				}
			}()
			select {
			case <-done:
			case <-time.After(hostileDeadline):
				t.Fatalf("Parse of %d bytes did not return within %s", len(body), hostileDeadline)
			}
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%-24s %5.1f MB in: %6s, %6.1f MB allocated", name, float64(len(body))/1e6, time.Since(start).Round(time.Millisecond), float64(alloc)/1e6)
			// Memory: allocation is bounded by a multiple of the input.
			if limit := uint64(200*len(body)) + 64<<20; alloc > limit {
				t.Errorf("allocated %d bytes for a %d-byte page (limit %d)", alloc, len(body), limit)
			}
		})
	}
}
