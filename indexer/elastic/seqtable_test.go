package elastic

import (
	"math/rand/v2"
	"testing"
)

// TestSeqTableAsMap checks seqTable against a map through random
// insertions, updates and deletions, with keys crowded into few home
// slots so that probe sequences run long and wrap around the table: at
// most 500 keys (a table of 1,024 slots), then up to 5,000 (it grows).
func TestSeqTableAsMap(t *testing.T) {
	for _, most := range []int{500, 5000} {
		seqTableAsMap(t, most)
	}
}

func seqTableAsMap(t *testing.T, most int) {
	r := rand.New(rand.NewPCG(1, 2))
	var tab seqTable
	want := map[uint64]uint64{}
	for step := range 200_000 {
		// Home slots 0-7 and 1023 of a table of 1,024: probes wrap around.
		key := uint64(r.IntN(3000))<<20 | uint64(r.IntN(8)) | uint64(r.IntN(2))*1023
		switch op := r.IntN(3); {
		case op < 2 && len(want) < most:
			seq := uint64(step + 1)
			if got := tab.swap(key, seq); got != want[key] {
				t.Fatalf("step %d: swap(%d) returned %d, want %d", step, key, got, want[key])
			}
			want[key] = seq
		default:
			seq := want[key]
			if r.IntN(4) == 0 {
				seq++ // not its seq: stays
			}
			tab.deleteIf(key, seq)
			if seq == want[key] {
				delete(want, key)
			}
		}
		if got := tab.get(key); got != want[key] {
			t.Fatalf("step %d: get(%d) = %d, want %d", step, key, got, want[key])
		}
		if step%10_000 == 0 {
			for k, v := range want {
				if got := tab.get(k); got != v {
					t.Fatalf("step %d: get(%d) = %d, want %d", step, k, got, v)
				}
			}
			if tab.len() != len(want) {
				t.Fatalf("step %d: %d keys, want %d", step, tab.len(), len(want))
			}
		}
	}
}
