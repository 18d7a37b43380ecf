package indexer

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// fingerprintReference is Fingerprint as first written (strings.FieldsFunc
// and a hash/fnv hasher per shingle): the signatures stored in indexes
// were made by it, so Fingerprint must give the same, bit for bit.
func fingerprintReference(text string) Signature {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return nil
	}
	sig := make(Signature, SignatureSize)
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	h := fnv.New64a()
	for i := 0; i+ShingleWords <= max(len(words), ShingleWords); i++ {
		h.Reset()
		for _, w := range words[i:min(i+ShingleWords, len(words))] {
			h.Write([]byte(w))
			h.Write([]byte{' '})
		}
		x := h.Sum64()
		for j := range sig {
			if v := uint32(mix(x^seeds[j]) >> 32); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return sig
}

// fingerprintTexts are generated texts of every kind Fingerprint meets:
// ASCII prose, other scripts and their digits, letters whose lower case
// is longer (İ), punctuation and spacing of every sort, invalid UTF-8,
// and texts of no, one and a few words; plus some longer than 512 words.
func fingerprintTexts() []string {
	r := rand.New(rand.NewPCG(6, 6))
	pieces := []string{"the", "Wire", "REPORT", "Brussels", "60", "days", "privacy", "İstanbul", "Straße", "Ελλάδα",
		"Москва", "日本語", "٣٤٥", "१२", "café", "naïve", "ǅemal", "ΣΊΣΥΦΟΣ", "x", "a1b2", "\xff", "\xc3", "\xe2\x80",
		"—", "–", "'", "\"", "«", "»", "…", ",", ".", "!", "?", "(", ")", "\u00a0", "\u200b", "\t", "\n", " ", "  ", "-", "_", "'s", "😀", "\u0301"}
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

func TestFingerprintMatchesReference(t *testing.T) {
	for _, text := range fingerprintTexts() {
		got, want := Fingerprint(text), fingerprintReference(text)
		if !slices.Equal(got, want) || (got == nil) != (want == nil) {
			t.Fatalf("Fingerprint(%q) = %v, reference %v", text, got, want)
		}
	}
}

func BenchmarkFingerprint(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields(wire)
	texts := make([]string, 64)
	for i := range texts {
		w := make([]string, 300)
		for k := range w {
			w[k] = words[r.IntN(len(words))]
		}
		texts[i] = strings.Join(w, " ")
	}
	for _, f := range []struct {
		name string
		fn   func(string) Signature
	}{{"new", Fingerprint}, {"reference", fingerprintReference}} {
		b.Run(f.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				f.fn(texts[i%len(texts)])
			}
		})
	}
}
