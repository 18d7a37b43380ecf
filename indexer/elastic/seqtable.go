package elastic

// seqTable maps band keys (pendingWrites.bandKey, already hashes) to the
// seq of a pending doc: a hash table with open addressing, one probe
// sequence over a flat array. A Go map of the tens of thousands of bands
// pending through a backlog took two or three cache misses a band; this
// takes about one. The seq 0 marks a free slot.
type seqTable struct {
	slots []seqSlot // a power of two of them, at most half in use
	n     int
}

type seqSlot struct{ key, seq uint64 }

// get is the seq of key, 0 when it has none.
func (t *seqTable) get(key uint64) uint64 {
	if len(t.slots) == 0 {
		return 0
	}
	mask := uint64(len(t.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		switch s := t.slots[i]; {
		case s.seq == 0:
			return 0
		case s.key == key:
			return s.seq
		}
	}
}

// swap sets the seq of key (not 0) and returns the one it had, 0 for none.
func (t *seqTable) swap(key, seq uint64) uint64 {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		switch s := &t.slots[i]; {
		case s.seq == 0:
			*s = seqSlot{key, seq}
			t.n++
			return 0
		case s.key == key:
			old := s.seq
			s.seq = seq
			return old
		}
	}
}

// deleteIf removes key if its seq is seq. The entries after it in its
// probe sequence move back into the gap (no tombstones, so probes stay as
// short however many keys come and go).
func (t *seqTable) deleteIf(key, seq uint64) {
	if len(t.slots) == 0 {
		return
	}
	mask := uint64(len(t.slots) - 1)
	i := key & mask
	for ; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.seq == 0 {
			return
		}
		if s.key == key {
			if s.seq != seq {
				return
			}
			break
		}
	}
	for j := i; ; {
		j = (j + 1) & mask
		if t.slots[j].seq == 0 {
			break
		}
		// The entry at j stays when its home slot h lies cyclically in
		// (i, j]: moved to i, a probe from h would not reach it.
		h := t.slots[j].key & mask
		if (i <= j && i < h && h <= j) || (i > j && (i < h || h <= j)) {
			continue
		}
		t.slots[i] = t.slots[j]
		i = j
	}
	t.slots[i] = seqSlot{}
	t.n--
}

// len is the number of keys.
func (t *seqTable) len() int { return t.n }

// grow doubles the slots (1,024 at first) and reinserts the entries.
func (t *seqTable) grow() {
	old := t.slots
	t.slots, t.n = make([]seqSlot, max(2*len(old), 1024)), 0
	for _, s := range old {
		if s.seq != 0 {
			t.swap(s.key, s.seq)
		}
	}
}
