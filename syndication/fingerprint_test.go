package syndication

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// minhashSeeds and minhashReference are Fingerprint as it was before the
// one-permutation signature (SignatureSize hash functions of every
// shingle), kept to compare cost and accuracy with (BenchmarkFingerprint,
// TestFingerprintAccuracy).
var minhashSeeds = func() [SignatureSize]uint64 {
	var s [SignatureSize]uint64
	x := uint64(0x6e657773_6465736b) // "newsdesk"
	for i := range s {
		x = mix(x + 0x9e3779b97f4a7c15)
		s[i] = x
	}
	return s
}()

func minhashReference(text string) Signature {
	lower := strings.ToLower(text)
	// Words as [start, end) byte offsets into lower.
	var stack [2 * 512]int
	bounds := stack[:0]
	start := -1
	for i := 0; i < len(lower); {
		c := lower[i]
		var word bool
		size := 1
		if c < utf8.RuneSelf {
			word = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(lower[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			bounds = append(bounds, start, i)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		bounds = append(bounds, start, len(lower))
	}
	words := len(bounds) / 2
	if words == 0 {
		return nil
	}
	var sig [SignatureSize]uint32
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for i := 0; i+ShingleWords <= max(words, ShingleWords); i++ {
		x := uint64(fnvOffset64)
		for w := i; w < min(i+ShingleWords, words); w++ {
			for _, c := range []byte(lower[bounds[2*w]:bounds[2*w+1]]) {
				x ^= uint64(c)
				x *= fnvPrime64
			}
			x ^= ' '
			x *= fnvPrime64
		}
		for j := range sig {
			if v := uint32(mix(x^minhashSeeds[j]) >> 32); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return Signature(sig[:])
}

// minhashBands and minhashString are Bands and String of the first scheme.
func minhashBands(s Signature) []string {
	out := make([]string, SignatureBands)
	var buf [4 * SignatureRows]byte
	for b := range out {
		for r := range SignatureRows {
			binary.BigEndian.PutUint32(buf[4*r:], s[b*SignatureRows+r])
		}
		h := fnv.New64a()
		h.Write(buf[:])
		out[b] = fmt.Sprintf("%02d%012x", b, h.Sum64()>>16)
	}
	return out
}

func minhashString(s Signature) string {
	buf := make([]byte, 4*len(s))
	for i, v := range s {
		binary.BigEndian.PutUint32(buf[4*i:], v)
	}
	return base64.RawStdEncoding.EncodeToString(buf)
}

// fingerprintWords are the words of a text as Fingerprint sees them.
func fingerprintWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// fingerprintReference is Fingerprint written plainly (strings.FieldsFunc,
// a hash/fnv hasher per word, the shingle hash by Horner's rule, a
// densification that does not depend on sketch): Fingerprint must give the
// same, bit for bit.
func fingerprintReference(text string) Signature {
	words := fingerprintWords(text)
	if len(words) == 0 {
		return nil
	}
	var sig [SignatureSize]uint32
	var filled [SignatureSize]bool
	for i := 0; i+ShingleWords <= max(len(words), ShingleWords); i++ {
		x := uint64(0)
		for _, w := range words[i:min(i+ShingleWords, len(words))] {
			h := fnv.New64a()
			h.Write([]byte(w))
			x = x*wordMul + h.Sum64()
		}
		x = mix(x ^ shingleSeed)
		bin, v := int(uint64(uint32(x>>32))*SignatureSize/(1<<32)), uint32(x)
		if !filled[bin] || v < sig[bin] {
			sig[bin], filled[bin] = v, true
		}
	}
	out := make(Signature, SignatureSize)
	for i := range out {
		out[i] = sig[i]
		for try := uint64(1); !filled[i]; try++ {
			h := mix(densifySeed ^ uint64(i)<<32 ^ try)
			if j := int(uint64(uint32(h>>32)) * SignatureSize / (1 << 32)); filled[j] {
				out[i] = sig[j]
				break
			}
		}
	}
	return out
}

// fingerprintTexts are generated texts of every kind Fingerprint meets:
// ASCII prose, other scripts and their digits, letters whose lower case
// is longer (İ), punctuation and spacing of every sort, invalid UTF-8,
// and texts of no, one and a few words; plus some longer than 512 words.
func fingerprintTexts() []string {
	r := rand.New(rand.NewPCG(6, 6))
	pieces := []string{"the", "Wire", "REPORT", "Brussels", "60", "days", "privacy", "İstanbul", "Straße", "Ελλάδα",
		"Москва", "日本語", "٣٤٥", "१२", "café", "naïve", "ǅemal", "ΣΊΣΥΦΟΣ", "x", "a1b2", "\xff", "\xc3", "\xe2\x80",
		"—", "–", "'", "\"", "«", "»", "…", ",", ".", "!", "?", "(", ")", "\u00a0", "\u200b", "\t", "\n", " ", "  ", "-", "_", "'s", "😀", "\u0301",
		"\u212a", "\u2160", "\ufffd", "’", "“", "”", "\u2000", "\u206f", "\u2070", "\u2071", "\u207f", "Ⱥ", "Ⱦ", "\xc0\xaf", "\xdf"}
	texts := []string{"", " ", " -- ", "one", "two words", "three little words", "exactly four small words",
		"By Ana Lima, Wire Service. BRUSSELS — The regulator gave the company sixty days to comply."}
	for range 3000 {
		var b strings.Builder
		n := r.IntN(80)
		if r.IntN(20) == 0 {
			n = 600 + r.IntN(400)
		}
		for range n {
			b.WriteString(pieces[r.IntN(len(pieces))])
			if r.IntN(3) > 0 {
				b.WriteByte(" \n,."[r.IntN(4)])
			}
		}
		texts = append(texts, b.String())
	}
	return texts
}

// TestWordRune checks the shortcuts of wordRune and nonASCIIRune against
// the unicode tables, for every rune.
func TestWordRune(t *testing.T) {
	for r := range rune(unicode.MaxRune + 1) {
		lower := unicode.ToLower(r)
		want := unicode.IsLetter(lower) || unicode.IsDigit(lower)
		if got, ok := wordRune(r); ok != want || ok && got != lower {
			t.Errorf("wordRune(%U) = %U, %v; want %U, %v", r, got, ok, lower, want)
		}
		if r < utf8.RuneSelf {
			continue
		}
		s := string(r) + "x"
		d, size := utf8.DecodeRuneInString(s)
		lower = unicode.ToLower(d)
		want = unicode.IsLetter(lower) || unicode.IsDigit(lower)
		if got, n, ok := nonASCIIRune(s); n != size || ok != want || ok && got != lower {
			t.Errorf("nonASCIIRune(%q) = %U, %d, %v; want %U, %d, %v", s, got, n, ok, lower, size, want)
		}
	}
}

func TestFingerprintMatchesReference(t *testing.T) {
	for _, text := range fingerprintTexts() {
		got, want := Fingerprint(text), fingerprintReference(text)
		if !slices.Equal(got, want) || (got == nil) != (want == nil) {
			t.Fatalf("Fingerprint(%q) = %v, reference %v", text, got, want)
		}
	}
}

// TestBandProbabilities checks the one-permutation signature against what
// SignatureSize independent hash functions (MinHash) promise, on sets of
// random shingle hashes of known Jaccard similarity J: the mean estimate is
// J (no bias, also for sets smaller than SignatureSize, where densification
// fills most bins). When the two sets have SignatureSize shingles or more
// between them, the standard error is at most MinHash's (less: the bins
// draw without replacement) and a pair shares a band with probability
// 1-(1-J^r)^b, the figures of SignatureSize's comment; for fewer, where
// many bins copy the same few values, it is up to a third more.
func TestBandProbabilities(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 3))
	const pairs = 4000
	for _, tc := range []struct {
		union int
		j     float64
	}{
		{400, 0.1}, {400, 0.5}, {400, 0.6}, {600, 0.8}, {1000, 0.5}, {SignatureSize, 0.5}, {150, 0.3},
		{2, 0.5}, {4, 0.5}, {10, 0.5}, {20, 0.1}, {20, 0.5}, {40, 0.2}, {40, 0.8},
	} {
		common := int(math.Round(tc.j * float64(tc.union)))
		only := (tc.union - common) / 2
		j := float64(common) / float64(common+2*only)
		var sum, sumSq float64
		banded := 0
		for range pairs {
			a, b := newSketch(), newSketch()
			for range common {
				h := r.Uint64()
				a.add(h)
				b.add(h)
			}
			for range only {
				a.add(r.Uint64())
				b.add(r.Uint64())
			}
			sa, sb := a.signature(), b.signature()
			s := sa.Similarity(sb)
			sum += s
			sumSq += (s - j) * (s - j)
			if sharesBand(sa.Bands(), sb.Bands()) {
				banded++
			}
		}
		mean, stderr := sum/pairs, math.Sqrt(sumSq/pairs)
		minhashErr := math.Sqrt(j * (1 - j) / SignatureSize)
		band := float64(banded) / pairs
		want := 1 - math.Pow(1-math.Pow(j, SignatureRows), SignatureBands)
		t.Logf("union %4d J %.2f: mean estimate %.3f, standard error %.3f (MinHash %.3f), shares a band %.3f (MinHash %.3f)",
			tc.union, j, mean, stderr, minhashErr, band, want)
		// Bounds: 4 standard errors of the means over the pairs.
		if math.Abs(mean-j) > 4*minhashErr/math.Sqrt(pairs) {
			t.Errorf("union %d J %.2f: mean estimate %.3f, biased", tc.union, j, mean)
		}
		if tc.union < SignatureSize {
			if stderr > minhashErr*4/3 {
				t.Errorf("union %d J %.2f: standard error %.3f, MinHash's is %.3f", tc.union, j, stderr, minhashErr)
			}
			continue
		}
		if stderr > minhashErr*1.03 {
			t.Errorf("union %d J %.2f: standard error %.3f, MinHash's is %.3f", tc.union, j, stderr, minhashErr)
		}
		if math.Abs(band-want) > 4*math.Sqrt(want*(1-want)/pairs)+0.005 {
			t.Errorf("union %d J %.2f: shares a band with probability %.3f, want %.3f", tc.union, j, band, want)
		}
	}
}

func sharesBand(a, b []string) bool {
	for i := range a {
		if a[i] == b[i] {
			return true
		}
	}
	return false
}

// benchTruth is the reference text of the pages of the extraction
// benchmark: 181 news stories and blog posts, 18 to 8,000 words.
const benchTruth = "../../shared/bench/scrapinghub/ground-truth.json"

// benchTexts are the texts of benchTruth, in the order of their ids; the
// test or benchmark is skipped without them.
func benchTexts(tb testing.TB) []string {
	buf, err := os.ReadFile(benchTruth)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("skipping: benchmark texts not found at %s: they live in ../shared/bench beside the checkout", benchTruth)
	}
	if err != nil {
		tb.Fatal(err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(buf, &truth); err != nil {
		tb.Fatal(err)
	}
	var texts []string
	for _, id := range slices.Sorted(maps.Keys(truth)) {
		texts = append(texts, truth[id].ArticleBody)
	}
	if len(texts) < 100 {
		tb.Fatalf("%d benchmark texts", len(texts))
	}
	return texts
}

// shingleSet is the exact set of a text's shingles, as Fingerprint makes them.
func shingleSet(text string) map[string]bool {
	words := fingerprintWords(text)
	set := map[string]bool{}
	for i := 0; i+ShingleWords <= max(len(words), ShingleWords) && len(words) > 0; i++ {
		set[strings.Join(words[i:min(i+ShingleWords, len(words))], " ")] = true
	}
	return set
}

func jaccard(a, b map[string]bool) float64 {
	both := 0
	for k := range a {
		if b[k] {
			both++
		}
	}
	if n := len(a) + len(b) - both; n > 0 {
		return float64(both) / float64(n)
	}
	return 0
}

// sentences cuts a text after each '.', '!' or '?' followed by a space and
// at each line break.
func sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' || (c == '.' || c == '!' || c == '?') && i+1 < len(text) && (text[i+1] == ' ' || text[i+1] == '\n') {
			if s := strings.TrimSpace(text[start : i+1]); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// TestFingerprintAccuracy compares the estimates of the one-permutation
// signature and of the first scheme's MinHash with the exact Jaccard
// similarity of the 4-shingle sets, on copies derived from the stories of
// the extraction benchmark as outlets make them: a new intro paragraph
// and byline, a trimmed ending, both, and 30%, 50% or 70% of the sentences
// replaced; and on every pair of two different stories. Run with -v for
// the figures.
func TestFingerprintAccuracy(t *testing.T) {
	texts := benchTexts(t)

	type pair struct {
		kind string
		a, b string
	}
	var pairs []pair
	r := rand.New(rand.NewPCG(2017, 60))
	for i, text := range texts {
		s := sentences(text)
		// Four variants of each kind: another donor of new sentences,
		// another cut, other sentences replaced.
		for v := range 4 {
			donor := sentences(texts[(i+1+v)%len(texts)])
			intro := "By Ana Lima, Wire Service.\n\n" + strings.Join(donor[:min(2, len(donor))], " ") + "\n\n"
			trimmed := strings.Join(s[:len(s)-len(s)*(v+1)/8], "\n") // 1/8 to 1/2 cut
			pairs = append(pairs, pair{"intro", text, intro + text}, pair{"trim", text, trimmed}, pair{"intro+trim", text, intro + trimmed})
			for _, f := range []float64{0.3, 0.5, 0.7} {
				c := slices.Clone(s)
				for _, k := range r.Perm(len(c))[:int(math.Round(f*float64(len(c))))] {
					c[k] = donor[r.IntN(len(donor))]
				}
				pairs = append(pairs, pair{fmt.Sprintf("replace %.0f%%", 100*f), text, strings.Join(c, "\n")})
			}
		}
		for _, other := range texts[i+1:] {
			pairs = append(pairs, pair{"unrelated", text, other})
		}
	}

	type stats struct {
		pairs, grouped, exactGrouped, agree, banded int
		err, absErr, maxErr, exact, expected        float64
	}
	schemes := []struct {
		name  string
		sig   func(string) Signature
		bands func(Signature) []string
		kinds map[string]*stats
	}{
		{"OPH", Fingerprint, Signature.Bands, map[string]*stats{}},
		{"MinHash", minhashReference, minhashBands, map[string]*stats{}},
	}
	type cached struct {
		set   map[string]bool
		sigs  [2]Signature
		bands [2][]string
	}
	cache := map[string]*cached{}
	get := func(text string) *cached {
		c := cache[text]
		if c == nil {
			c = &cached{set: shingleSet(text)}
			for i, s := range schemes {
				c.sigs[i] = s.sig(text)
				c.bands[i] = s.bands(c.sigs[i])
			}
			cache[text] = c
		}
		return c
	}
	var clearCopies, missed, clearOthers, wrong int
	for _, p := range pairs {
		a, b := get(p.a), get(p.b)
		exact := jaccard(a.set, b.set)
		for i, s := range schemes {
			st := s.kinds[p.kind]
			if st == nil {
				st = &stats{}
				s.kinds[p.kind] = st
			}
			est := a.sigs[i].Similarity(b.sigs[i])
			grouped, exactGrouped := est >= Threshold, exact >= Threshold
			st.pairs++
			st.exact += exact
			st.err += est - exact
			st.absErr += math.Abs(est - exact)
			st.expected += minhashExpectedError(exact)
			st.maxErr = max(st.maxErr, math.Abs(est-exact))
			if grouped {
				st.grouped++
			}
			if exactGrouped {
				st.exactGrouped++
			}
			if grouped == exactGrouped {
				st.agree++
			}
			if sharesBand(a.bands[i], b.bands[i]) {
				st.banded++
			}
			if i == 0 {
				switch {
				case exact >= Threshold+0.15:
					clearCopies++
					if !grouped {
						missed++
					}
				case exact < Threshold-0.15:
					clearOthers++
					if grouped {
						wrong++
						if p.kind == "unrelated" {
							t.Errorf("unrelated stories grouped: exact similarity %.2f, estimate %.2f", exact, est)
						}
					}
				}
			}
		}
	}
	// What a reader sees: copies well above the threshold are grouped,
	// stories well below it are not (the estimate is off by more than
	// 0.15, 2.5 standard errors, for about 1 pair in 100).
	t.Logf("OPH: %d of %d pairs at exact similarity %.2f or more not grouped, %d of %d under %.2f grouped",
		missed, clearCopies, Threshold+0.15, wrong, clearOthers, Threshold-0.15)
	if missed > clearCopies/100 || wrong > clearOthers/100 {
		t.Error("too many wrong grouping decisions")
	}

	kinds := []string{"intro", "trim", "intro+trim", "replace 30%", "replace 50%", "replace 70%", "unrelated"}
	var mae, bias [2]float64 // over the derived copies
	var expected float64
	for i, s := range schemes {
		var derived stats
		for _, k := range kinds {
			st := s.kinds[k]
			n := float64(st.pairs)
			t.Logf("%-7s %-11s %5d pairs: exact J %.3f, mean abs error %.4f (expected of MinHash %.4f, max %.3f), grouped %4d (exact %4d), decision agrees %5.1f%%, share a band %5.1f%%",
				s.name, k, st.pairs, st.exact/n, st.absErr/n, st.expected/n, st.maxErr,
				st.grouped, st.exactGrouped, 100*float64(st.agree)/n, 100*float64(st.banded)/n)
			if k != "unrelated" {
				derived.pairs += st.pairs
				derived.err += st.err
				derived.absErr += st.absErr
				derived.expected += st.expected
				derived.agree += st.agree
			}
		}
		n := float64(derived.pairs)
		mae[i], bias[i], expected = derived.absErr/n, derived.err/n, derived.expected/n
		t.Logf("%-7s all copies  %5d pairs: mean abs error %.4f (expected of MinHash %.4f), mean error %+.4f, decision agrees %.1f%%",
			s.name, derived.pairs, mae[i], expected, bias[i], 100*float64(derived.agree)/n)
	}
	if mae[0] > expected*1.05 {
		t.Errorf("mean absolute error of the estimate on copies: %.4f, MinHash's is %.4f (expected), %.4f (measured)", mae[0], expected, mae[1])
	}
	// No bias: the mean of 4,000 errors of sd 0.06 is 0 within 0.001.
	if math.Abs(bias[0]) > 0.005 {
		t.Errorf("mean error of the estimate on copies: %+.4f, biased", bias[0])
	}
	if st := schemes[0].kinds["intro"]; st.grouped < st.pairs*99/100 {
		t.Errorf("copies with a new intro: %d of %d grouped", st.grouped, st.pairs)
	}
}

// minhashExpectedError is the mean absolute error of the estimate of a
// similarity j by SignatureSize independent hash functions: the share of
// successes in SignatureSize trials of probability j.
func minhashExpectedError(j float64) float64 {
	var e float64
	for x := 0; x <= SignatureSize; x++ {
		lg, _ := math.Lgamma(SignatureSize + 1)
		lx, _ := math.Lgamma(float64(x) + 1)
		ly, _ := math.Lgamma(float64(SignatureSize-x) + 1)
		p := math.Exp(lg-lx-ly) * math.Pow(j, float64(x)) * math.Pow(1-j, float64(SignatureSize-x))
		e += p * math.Abs(float64(x)/SignatureSize-j)
	}
	return e
}

// BenchmarkFingerprint compares Fingerprint with the first scheme's
// (minhashReference) on 300-word texts, and on 20-word ones, whose
// signatures are mostly densification.
func BenchmarkFingerprint(b *testing.B) {
	benchmarkFingerprint(b, "", fingerprintBenchTexts(300), fingerprintBenchTexts(20))
}

// BenchmarkFingerprintStories does the same on the first 300 words of the
// stories of benchTruth that have as many, as published: curly quotes,
// dashes, 3 of the 139 in Russian.
func BenchmarkFingerprintStories(b *testing.B) {
	var texts []string
	for _, text := range benchTexts(b) {
		end, words := 0, 0
		for i, f := range strings.Fields(text) {
			if i == 300 {
				break
			}
			end += strings.Index(text[end:], f) + len(f)
			words++
		}
		if words == 300 {
			texts = append(texts, text[:end])
		}
	}
	benchmarkFingerprint(b, "stories=300", texts)
}

// fingerprintBenchTexts are 64 texts of n words drawn from wire.
func fingerprintBenchTexts(n int) []string {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	words := strings.Fields(wire)
	texts := make([]string, 64)
	for i := range texts {
		w := make([]string, n)
		for k := range w {
			w[k] = words[r.IntN(len(words))]
		}
		texts[i] = strings.Join(w, " ")
	}
	return texts
}

func benchmarkFingerprint(b *testing.B, name string, sets ...[]string) {
	for _, texts := range sets {
		name := name
		if name == "" {
			name = fmt.Sprintf("words=%d", len(strings.Fields(texts[0])))
		}
		for _, f := range []struct {
			name string
			fn   func(string) Signature
		}{{"oph", Fingerprint}, {"minhash", minhashReference}} {
			b.Run(f.name+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					f.fn(texts[i%len(texts)])
				}
			})
		}
	}
}

func BenchmarkBands(b *testing.B) {
	sig := Fingerprint(wire)
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sig.Bands()
		}
	})
	b.Run("minhash", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			minhashBands(sig)
		}
	})
}
