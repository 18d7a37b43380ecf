package indexer

import (
	"strings"
	"testing"
)

const wire = `The European Commission fined the messaging company 200 million euros on Thursday for sharing user data with its advertising arm without consent, the largest penalty yet under the bloc's digital markets rules. Regulators said the company had combined personal data across services since 2019 and ignored two formal warnings. The company said it would appeal the decision in court and called the fine disproportionate. Consumer groups welcomed the ruling but said the amount was small compared with the firm's annual profit of more than 40 billion euros. The commission also ordered the company to stop the practice within sixty days or face daily penalties of up to five percent of its worldwide turnover.`

func TestFingerprintGroupsCopies(t *testing.T) {
	a := Fingerprint("By Ana Lima, Wire Service. " + wire)
	b := Fingerprint("BRUSSELS (Ledger) — Our correspondent reports. " + strings.ReplaceAll(wire, "sixty days", "60 days"))
	other := Fingerprint(`A privacy regulator in Dublin opened an inquiry into a dating app over how it stores location data of its users, after a complaint by a consumer group that said the app kept precise locations for years.`)
	if s := a.Similarity(b); s < SyndicationThreshold {
		t.Errorf("copies: similarity %.2f below %.2f", s, SyndicationThreshold)
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
