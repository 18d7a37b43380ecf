package indexer

import (
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Syndication: the same wire story published by several outlets, each with
// its own intro line, byline or trimmed ending, is recognised at index time
// by a near-duplicate fingerprint of the text, computed here in Go so that
// both backends (and an Elasticsearch without the analysis-common module's
// min_hash filter) agree.
//
// The fingerprint is a MinHash signature over word 4-shingles, not SimHash:
// MinHash estimates the Jaccard similarity of the shingle sets directly, so
// the threshold reads as "half of the 4-word sequences are shared", and its
// LSH bands are plain keywords that both backends look up with a terms
// query. A 64-bit SimHash needs weighted features and long texts before
// small Hamming distances mean "same story"; a replaced intro paragraph in a
// 300-word story already flips about 9 of its 64 bits.
const (
	// ShingleWords is the length of a shingle, in words.
	ShingleWords = 4
	// SignatureSize is the number of MinHash values: SignatureBands bands
	// of SignatureRows values. With 20 bands of 3, a pair with Jaccard 0.5
	// shares at least one band with probability 0.93, a pair at 0.6 with
	// 0.99, unrelated stories (Jaccard under 0.1) with 0.02; candidates are
	// then checked against the threshold on the whole signature.
	SignatureBands = 20
	SignatureRows  = 3
	SignatureSize  = SignatureBands * SignatureRows
	// SyndicationThreshold is the estimated Jaccard similarity of the
	// 4-shingle sets from which two texts are copies of one story. Copies
	// of a wire story with a different intro line and byline are far above
	// it (0.8 on a 300-word story); two reporters' own stories on the same
	// event share few 4-word sequences (under 0.1).
	SyndicationThreshold = 0.5
	// MaxGroupCandidates bounds the stored articles a new one is compared
	// with.
	MaxGroupCandidates = 10
)

// Signature is the MinHash signature of a text; nil for a text too short
// to have a shingle.
type Signature []uint32

// seeds make SignatureSize hash functions out of one: fixed, so signatures
// stay comparable across processes and versions.
var seeds = func() [SignatureSize]uint64 {
	var s [SignatureSize]uint64
	x := uint64(0x6e657773_6465736b) // "newsdesk"
	for i := range s {
		x = mix(x + 0x9e3779b97f4a7c15)
		s[i] = x
	}
	return s
}()

// mix is the splitmix64 finalizer: a fast bijection that spreads bits.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Fingerprint is the MinHash signature of a text: words lower-cased,
// punctuation dropped, so quotes, dashes and spacing an outlet's CMS
// changes do not matter. A text of fewer than ShingleWords words is one
// shingle; an empty one has no signature.
//
// A shingle's hash is FNV-1a (64 bits) of its words, each followed by a
// space. The words are found and hashed in place (no slice of words, no
// hasher per shingle): the signature of a batch is a good part of a
// Store's time in Go.
func Fingerprint(text string) Signature {
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
			if v := uint32(mix(x^seeds[j]) >> 32); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return Signature(sig[:])
}

// FNV-1a, 64 bits (hash/fnv's New64a).
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// Similarity estimates the Jaccard similarity of the shingle sets of two
// signatures: the share of equal values (standard error about 0.06 at 0.5).
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

// Bands are the LSH keys of the signature, stored as keywords: two texts
// that share one are candidates for the same story.
func (s Signature) Bands() []string {
	if len(s) != SignatureSize {
		return nil
	}
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

// String encodes the signature for storage (unindexed).
func (s Signature) String() string {
	if len(s) == 0 {
		return ""
	}
	buf := make([]byte, 4*len(s))
	for i, v := range s {
		binary.BigEndian.PutUint32(buf[4*i:], v)
	}
	return base64.RawStdEncoding.EncodeToString(buf)
}

// ParseSignature decodes String's form; anything else is no signature.
func ParseSignature(str string) Signature {
	buf, err := base64.RawStdEncoding.DecodeString(str)
	if err != nil || len(buf) != 4*SignatureSize {
		return nil
	}
	s := make(Signature, SignatureSize)
	for i := range s {
		s[i] = binary.BigEndian.Uint32(buf[4*i:])
	}
	return s
}

// Member is a stored article as far as grouping needs it.
type Member struct {
	ID, Group string
	Signature Signature
}

// ChooseGroup is the syndication group of article id: the group of its most
// similar candidate at or above SyndicationThreshold (ties: the smaller
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
		if sim < SyndicationThreshold {
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
