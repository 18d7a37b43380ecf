// Package syndication recognises copies of one story: the same wire story
// published by several outlets, each with its own intro line, byline or
// trimmed ending, is recognised at index time by a near-duplicate
// fingerprint of the text, computed in Go so that both index backends (and
// an Elasticsearch without the analysis-common module's min_hash filter)
// agree.
//
// The fingerprint is a MinHash signature over word 4-shingles, not SimHash:
// MinHash estimates the Jaccard similarity of the shingle sets directly, so
// the threshold reads as "half of the 4-word sequences are shared", and its
// LSH bands are plain keywords that both backends look up with a terms
// query. A 64-bit SimHash needs weighted features and long texts before
// small Hamming distances mean "same story"; a replaced intro paragraph in a
// 300-word story already flips about 9 of its 64 bits.
//
// It is a one-permutation MinHash (OPH): each shingle is hashed once, the
// hash picks one of SignatureSize bins and the bin keeps the least value
// that falls in it. SignatureSize hashes of every shingle, the first
// scheme, took about ten times as long for estimates no better (a little
// worse on texts of a few words, a little better on stories of a few
// hundred: BenchmarkFingerprint, TestBandProbabilities,
// TestFingerprintAccuracy).
// A text with fewer shingles than bins leaves bins empty; they are filled
// by optimal densification (Shrivastava, ICML 2017), which keeps the share
// of equal values an unbiased estimate of the Jaccard similarity.
//
// It is a pure algorithm: no I/O, no stage; the indexer calls it on every
// write (Fingerprint, ChooseGroup, BatchGroups) and stores Bands and String.
package syndication

import (
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode"
	"unicode/utf8"
)

const (
	// ShingleWords is the length of a shingle, in words.
	ShingleWords = 4
	// SignatureSize is the number of MinHash values: SignatureBands bands
	// of SignatureRows values. With 20 bands of 3, a pair with Jaccard 0.5
	// shares at least one band with probability 0.93, a pair at 0.6 with
	// 0.99, unrelated stories (Jaccard under 0.1) with 0.02, as with
	// independent hash functions (TestBandProbabilities); candidates are
	// then checked against the threshold on the whole signature.
	SignatureBands = 20
	SignatureRows  = 3
	SignatureSize  = SignatureBands * SignatureRows
	// Threshold is the estimated Jaccard similarity of the
	// 4-shingle sets from which two texts are copies of one story. Copies
	// of a wire story with a different intro line and byline are far above
	// it (0.8 on a 300-word story); two reporters' own stories on the same
	// event share few 4-word sequences (under 0.1).
	Threshold = 0.5
	// MaxCandidates bounds the stored articles a new one is compared
	// with.
	MaxCandidates = 10
)

// Signature is the MinHash signature of a text; nil for a text too short
// to have a shingle.
type Signature []uint32

// signatureVersion tells signatures of this scheme (OPH) from those of the
// first one (SignatureSize hash functions), whose values are not
// comparable: it leads String's bytes and Bands' keys, so a stored
// signature of the old scheme parses as none and shares no band.
const signatureVersion = 2

// Fixed seeds, so that signatures and band keys stay comparable across
// processes and versions.
const (
	shingleSeed = 0x6e657773_6465736b // "newsdesk"
	densifySeed = 0x64656e73_69667921 // "densify!"
	bandSeed    = 0x6c736862_616e6473 // "lshbands"
	// wordMul and its powers (modulo 2^64) weigh the hashes of a
	// shingle's words: odd, so that shingles that differ in one word
	// never collide.
	wordMul  = 0x9e3779b97f4a7c15
	wordMul2 = 0xdf442d22ce4859b9
	wordMul3 = 0x604a5ce3addef82d
)

// mix is the splitmix64 finalizer: a fast bijection that spreads bits.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// shingleHash is the hash of a shingle from the FNV-1a hashes of its words,
// w3 the last; the missing words of a text shorter than a shingle are 0.
func shingleHash(w0, w1, w2, w3 uint64) uint64 {
	return mix((w0*wordMul3 + w1*wordMul2 + w2*wordMul + w3) ^ shingleSeed)
}

// sketch is a signature being made: bin i holds the least value of the
// shingles whose hash chose it, if filled has bit i; else it is still ^0,
// as newSketch makes it.
type sketch struct {
	sig    [SignatureSize]uint32
	filled uint64
}

// filled has a bit per bin.
var _ [64 - SignatureSize]struct{}

func newSketch() sketch {
	var k sketch
	for i := range k.sig {
		k.sig[i] = ^uint32(0)
	}
	return k
}

// add counts a shingle: the high half of its hash picks the bin, the low
// half is the value.
func (k *sketch) add(h uint64) {
	bin := (h >> 32) * SignatureSize >> 32
	k.sig[bin] = min(k.sig[bin], uint32(h))
	k.filled |= 1 << bin
}

// signature fills each empty bin i with the value of the first filled bin
// that the hashes of (i, 1), (i, 2), ... pick (optimal densification): the
// choice depends on the bins only, so two texts whose shingles left the
// same bins empty copy from the same bins, and for any bin the chance
// that two signatures agree is their Jaccard similarity. It returns a copy,
// so that k can stay on the stack.
func (k *sketch) signature() Signature {
	if k.filled == 0 {
		return nil
	}
	few := bits.OnesCount64(k.filled) <= 8
	for i := range k.sig {
		if k.filled&(1<<i) != 0 {
			continue
		}
		if few { // the filled bin first in densifyOrder[i]
			best, rank := 0, uint8(SignatureSize)
			for f := k.filled; f != 0; f &= f - 1 {
				if j := bits.TrailingZeros64(f); densifyRank[i][j] < rank {
					best, rank = j, densifyRank[i][j]
				}
			}
			k.sig[i] = k.sig[best]
			continue
		}
		for _, j := range densifyOrder[i] {
			if k.filled&(1<<j) != 0 {
				k.sig[i] = k.sig[j]
				break
			}
		}
	}
	return slices.Clone(k.sig[:])
}

// densifyProbe is the bin that the hash of (i, try) picks.
func densifyProbe(i int, try uint64) uint64 {
	return (mix(densifySeed^uint64(i)<<32^try) >> 32) * SignatureSize >> 32
}

// densifyOrder[i] lists the bins in the order densifyProbe(i, 1),
// densifyProbe(i, 2), ... first pick them, and densifyRank[i][j] is the
// place of bin j in it: the first filled bin in that order is the one the
// probes find, without probing (a text of one shingle would need about
// SignatureSize probes for each empty bin).
var densifyOrder, densifyRank = func() (order, rank [SignatureSize][SignatureSize]uint8) {
	for i := range order {
		var seen uint64
		for n, try := 0, uint64(1); n < SignatureSize; try++ {
			if j := densifyProbe(i, try); seen&(1<<j) == 0 {
				seen |= 1 << j
				order[i][n], rank[i][j] = uint8(j), uint8(n)
				n++
			}
		}
	}
	return order, rank
}()

// Fingerprint is the MinHash signature of a text: words lower-cased,
// punctuation dropped, so quotes, dashes and spacing an outlet's CMS
// changes do not matter. A text of fewer than ShingleWords words is one
// shingle; an empty one has no signature.
//
// A word is a run of letters and digits of the lower-cased text (as
// strings.ToLower makes it); its hash is FNV-1a (64 bits) of its bytes,
// computed as the text is read, lowering on the way: no lower-cased copy,
// no slice of words, each word hashed once for the ShingleWords shingles
// it is in.
func Fingerprint(text string) Signature {
	k := newSketch()
	var w0, w1, w2, w3 uint64 // the last words' hashes, w3 the latest
	words := 0
	for i := 0; i < len(text); {
		// A word, if one starts at i: its hash.
		x, word := uint64(fnvOffset64), false
		for i < len(text) {
			c := asciiWord[text[i]]
			if c > nonASCII {
				x = (x ^ uint64(c)) * fnvPrime64
				i++
				word = true
				continue
			}
			if c == 0 {
				break
			}
			r, size, ok := nonASCIIRune(text[i:])
			i += size
			if !ok {
				break // past a separator
			}
			var b [utf8.UTFMax]byte
			for _, c := range b[:utf8.EncodeRune(b[:], r)] {
				x = (x ^ uint64(c)) * fnvPrime64
			}
			word = true
		}
		if word {
			w0, w1, w2, w3 = w1, w2, w3, x
			if words++; words >= ShingleWords {
				k.add(shingleHash(w0, w1, w2, w3))
			}
		}
		// The separators up to the next word.
		for i < len(text) {
			c := asciiWord[text[i]]
			if c > nonASCII {
				break
			}
			if c == 0 {
				i++
				continue
			}
			_, size, ok := nonASCIIRune(text[i:])
			if ok {
				break
			}
			i += size
		}
	}
	if 0 < words && words < ShingleWords {
		k.add(shingleHash(w0, w1, w2, w3))
	}
	return k.signature()
}

// nonASCIIRune decodes the rune s starts with, a non-ASCII one: its lower
// case, its length in bytes, and whether it is a letter or digit.
func nonASCIIRune(s string) (lower rune, size int, ok bool) {
	if len(s) >= 2 && 0xc2 <= s[0] && s[0] <= 0xdf && s[1]&0xc0 == 0x80 {
		lower = twoByteWord[rune(s[0]&0x1f)<<6|rune(s[1]&0x3f)]
		return lower, 2, lower >= 0
	}
	r, size := utf8.DecodeRuneInString(s)
	lower, ok = wordRune(r)
	return lower, size, ok
}

// wordRune is the lower case of r and whether it is a letter or digit.
// The General Punctuation block (curly quotes, dashes, ellipsis, spaces)
// is none and has no case: found without the tables.
func wordRune(r rune) (rune, bool) {
	if 0x2000 <= r && r <= 0x206f {
		return r, false
	}
	r = unicode.ToLower(r)
	return r, unicode.IsLetter(r) || unicode.IsDigit(r)
}

// twoByteWord is wordRune of the runes of two bytes in UTF-8 (Latin,
// Greek, Cyrillic, Hebrew, Arabic...): the lower case, or -1 for none.
var twoByteWord = func() (t [0x800]rune) {
	for r := range t {
		if lower, ok := wordRune(rune(r)); ok {
			t[r] = lower
		} else {
			t[r] = -1
		}
	}
	return t
}()

// asciiWord maps an ASCII letter or digit to its lower case, other ASCII
// bytes to 0, and the first bytes of other runes to nonASCII.
var asciiWord = func() (t [256]byte) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = nonASCII
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			t[c] = byte(c)
		case 'A' <= c && c <= 'Z':
			t[c] = byte(c) + 'a' - 'A'
		}
	}
	return t
}()

const nonASCII = 1

// FNV-1a, 64 bits (hash/fnv's New64a).
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// Similarity estimates the Jaccard similarity of the shingle sets of two
// signatures: the share of equal values. Its standard error at 0.5 is
// about 0.06 when the two texts have SignatureSize shingles or more
// between them, as with SignatureSize independent hash functions (0.065)
// or a little less; for texts of a few words, whose few shingles fill all
// the bins, it reaches 0.08.
func (s Signature) Similarity(o Signature) float64 {
	if len(s) != SignatureSize || len(o) != SignatureSize {
		return 0
	}
	same := 0
	for i := range s {
		if s[i] == o[i] {
			same++
		}
	}
	return float64(same) / SignatureSize
}

// bandKeyLen is the length of a band key: "f" and signatureVersion, the
// band's index in two decimal digits and 48 bits of a hash of its values
// in hexadecimal. The keys of the first scheme were the last two only.
const bandKeyLen = 2 + 2 + 12

// Bands are the LSH keys of the signature, stored as keywords: two texts
// that share one are candidates for the same story. The keys are slices of
// one string.
func (s Signature) Bands() []string {
	if len(s) != SignatureSize {
		return nil
	}
	const hex = "0123456789abcdef"
	var buf [SignatureBands * bandKeyLen]byte
	for b := range SignatureBands {
		h := bandSeed ^ uint64(b)
		for _, v := range s[b*SignatureRows : (b+1)*SignatureRows] {
			h = mix(h ^ uint64(v))
		}
		key := buf[b*bandKeyLen : (b+1)*bandKeyLen]
		key[0], key[1], key[2], key[3] = 'f', '0'+signatureVersion, '0'+byte(b/10), '0'+byte(b%10)
		for i := bandKeyLen - 1; i >= 4; i-- {
			key[i] = hex[h&0xf]
			h >>= 4
		}
	}
	keys := string(buf[:])
	out := make([]string, SignatureBands)
	for b := range out {
		out[b] = keys[b*bandKeyLen : (b+1)*bandKeyLen]
	}
	return out
}

// String encodes the signature for storage (unindexed): signatureVersion
// and the values, 4 bytes each, in base64.
func (s Signature) String() string {
	if len(s) == 0 {
		return ""
	}
	buf := make([]byte, 1+4*len(s))
	buf[0] = signatureVersion
	for i, v := range s {
		binary.BigEndian.PutUint32(buf[1+4*i:], v)
	}
	return base64.RawStdEncoding.EncodeToString(buf)
}

// ParseSignature decodes String's form; anything else, the form of the
// first scheme included, is no signature.
func ParseSignature(str string) Signature {
	buf, err := base64.RawStdEncoding.DecodeString(str)
	if err != nil || len(buf) != 1+4*SignatureSize || buf[0] != signatureVersion {
		return nil
	}
	s := make(Signature, SignatureSize)
	for i := range s {
		s[i] = binary.BigEndian.Uint32(buf[1+4*i:])
	}
	return s
}

// Member is a stored article as far as grouping needs it.
type Member struct {
	ID, Group string
	Signature Signature
}

// ChooseGroup is the syndication group of article id: the group of its most
// similar candidate at or above Threshold (ties: the smaller
// group id, so the choice does not depend on the order candidates came
// in), else a group of its own named by its id. The first copy indexed
// thus names the group and later copies join it (single link: a copy
// close to any member joins). Two copies indexed at the same moment by two
// indexers can each start a group; a later copy joins one of them.
func ChooseGroup(id string, sig Signature, candidates []Member) string {
	best, bestSim := "", 0.0
	for _, c := range candidates {
		if c.ID == id || c.Group == "" {
			continue
		}
		sim := sig.Similarity(c.Signature)
		if sim < Threshold {
			continue
		}
		if sim > bestSim || (sim == bestSim && cmp.Less(c.Group, best)) {
			best, bestSim = c.Group, sim
		}
	}
	if best == "" {
		return id
	}
	return best
}

// BatchGroups finds candidates among the articles of one Store call, which
// the backend cannot see yet: three copies of a story in one batch must
// still end up in one group.
type BatchGroups struct {
	byBand  map[string][]int
	members []Member
}

// Candidates are the members of the batch so far that share a band.
func (b *BatchGroups) Candidates(bands []string) []Member {
	var out []Member
	seen := map[int]bool{}
	for _, k := range bands {
		for _, i := range b.byBand[k] {
			if !seen[i] {
				seen[i] = true
				out = append(out, b.members[i])
			}
		}
	}
	return out
}

// Add records a grouped article of the batch.
func (b *BatchGroups) Add(m Member, bands []string) {
	if b.byBand == nil {
		b.byBand = map[string][]int{}
	}
	b.members = append(b.members, m)
	for _, k := range bands {
		b.byBand[k] = append(b.byBand[k], len(b.members)-1)
	}
}
