package syndication

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

const wire = `The European Commission fined the messaging company 200 million euros on Thursday for sharing user data with its advertising arm without consent, the largest penalty yet under the bloc's digital markets rules. Regulators said the company had combined personal data across services since 2019 and ignored two formal warnings. The company said it would appeal the decision in court and called the fine disproportionate. Consumer groups welcomed the ruling but said the amount was small compared with the firm's annual profit of more than 40 billion euros. The commission also ordered the company to stop the practice within sixty days or face daily penalties of up to five percent of its worldwide turnover.`

func TestFingerprintGroupsCopies(t *testing.T) {
	a := Fingerprint("By Ana Lima, Wire Service. " + wire)
	b := Fingerprint("BRUSSELS (Ledger) — Our correspondent reports. " + strings.ReplaceAll(wire, "sixty days", "60 days"))
	other := Fingerprint(`A privacy regulator in Dublin opened an inquiry into a dating app over how it stores location data of its users, after a complaint by a consumer group that said the app kept precise locations for years.`)
	if s := a.Similarity(b); s < Threshold {
		t.Errorf("copies: similarity %.2f below %.2f", s, Threshold)
	}
	if s := a.Similarity(other); s >= 0.2 {
		t.Errorf("unrelated: similarity %.2f", s)
	}
	if got := ParseSignature(a.String()); got.Similarity(a) != 1 {
		t.Error("signature does not survive encoding")
	}
	shared := 0
	for i, k := range a.Bands() {
		if b.Bands()[i] == k {
			shared++
		}
	}
	if shared == 0 {
		t.Error("copies share no band")
	}
	if Fingerprint(" -- ") != nil || len(Fingerprint("two words")) != SignatureSize {
		t.Error("short texts")
	}
	if g := ChooseGroup("b", b, []Member{{ID: "a", Group: "g", Signature: a}, {ID: "x", Group: "h", Signature: other}}); g != "g" {
		t.Errorf("ChooseGroup = %q, want g", g)
	}
	if g := ChooseGroup("x", other, []Member{{ID: "a", Group: "g", Signature: a}}); g != "x" {
		t.Errorf("ChooseGroup(unrelated) = %q, want its own id", g)
	}
}

// TestSignatureFormat checks what keeps stored signatures and band keys
// comparable: they do not change from one version to the next (if the
// scheme must change, signatureVersion must too), and the first scheme's
// can be mistaken for none of this one's.
func TestSignatureFormat(t *testing.T) {
	sig := Fingerprint(wire)
	if want := []uint32{0xbe2834d5, 0x2b672f3d, 0x35ee0861, 0xaf275cc9}; !slices.Equal(sig[:4], want) {
		t.Errorf("Fingerprint(wire) starts %#x, was %#x: stored signatures would no longer compare", []uint32(sig[:4]), want)
	}
	bands := sig.Bands()
	if len(bands) != SignatureBands || bands[0] != "f200c712ec8bac16" || bands[19] != "f2194730bc91d789" {
		t.Errorf("Bands(wire) = %q, was f200c712ec8bac16 ... f2194730bc91d789: stored band keys would no longer match", bands)
	}
	seen := map[string]bool{}
	for b, k := range bands {
		if prefix := fmt.Sprintf("f%d%02d", signatureVersion, b); len(k) != bandKeyLen || !strings.HasPrefix(k, prefix) ||
			strings.Trim(k[len(prefix):], "0123456789abcdef") != "" || seen[k] {
			t.Errorf("band %d: key %q", b, k)
		}
		seen[k] = true
	}

	str := sig.String()
	if got := ParseSignature(str); !slices.Equal(got, sig) {
		t.Errorf("ParseSignature(String()) = %v, want %v", got, sig)
	}
	old := minhashReference(wire)
	if got := ParseSignature(minhashString(old)); got != nil {
		t.Errorf("a signature of the first scheme parses as %v", got)
	}
	for _, k := range minhashBands(old) {
		if seen[k] || strings.HasPrefix(k, "f") {
			t.Errorf("band key %q of the first scheme", k)
		}
	}
	for _, bad := range []string{"", "AAAA", str[:len(str)-1], str + "A", "!" + str[1:]} {
		if got := ParseSignature(bad); got != nil {
			t.Errorf("ParseSignature(%q) = %v", bad, got)
		}
	}
	if Signature(nil).String() != "" || Signature(nil).Bands() != nil {
		t.Error("no signature: a string or bands")
	}
}

// TestFingerprintShortTexts: a text of fewer than ShingleWords words is
// one shingle, so equal short texts are similar and different ones not.
func TestFingerprintShortTexts(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		sim  float64
	}{
		{"Breaking", "BREAKING!", 1},
		{"two words", "Two  words.", 1},
		{"two words", "two other", 0},
		{"three little words", "three little words here", 0},
		{"exactly four small words", "exactly four small words", 1},
	} {
		a, b := Fingerprint(tc.a), Fingerprint(tc.b)
		if len(a) != SignatureSize || len(b) != SignatureSize {
			t.Fatalf("%q, %q: signatures of %d and %d values", tc.a, tc.b, len(a), len(b))
		}
		if s := a.Similarity(b); s != tc.sim {
			t.Errorf("%q, %q: similarity %.2f, want %.0f", tc.a, tc.b, s, tc.sim)
		}
	}
	for _, text := range []string{"", " -- ", "…", "\xff"} {
		if s := Fingerprint(text); s != nil {
			t.Errorf("Fingerprint(%q) = %v, want none", text, s)
		}
	}
}
