package main

import (
	"slices"
	"unicode"
)

// This file is the benchmark's metric, as SOURCE.md beside the data defines
// it (the reference evaluation script of scrapinghub's
// article-extraction-benchmark): 4-token shingles compared as multisets,
// normalised per page so that long and short pages weigh the same.

// shingleSize is the number of tokens in one shingle.
const shingleSize = 4

// tokenize splits text into maximal runs of word characters: Python 3's
// Unicode \w, i.e. letters, characters with a numeric value and '_'. Marks,
// punctuation, spaces and U+00AD all separate tokens; case is kept.
func tokenize(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		if isWord(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// shingles counts every window of shingleSize consecutive tokens. A text of
// 1 to 3 tokens gives one shorter shingle of all its tokens, and a text of
// none gives none. Tokens are joined with a space, which no token contains,
// so distinct windows never collide.
func shingles(tokens []string) map[string]int {
	out := map[string]int{}
	if len(tokens) == 0 {
		return out
	}
	if len(tokens) < shingleSize {
		out[joinTokens(tokens)]++
		return out
	}
	for i := 0; i+shingleSize <= len(tokens); i++ {
		out[joinTokens(tokens[i:i+shingleSize])]++
	}
	return out
}

func joinTokens(ts []string) string {
	n := len(ts) - 1
	for _, t := range ts {
		n += len(t)
	}
	b := make([]byte, 0, n)
	for i, t := range ts {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, t...)
	}
	return string(b)
}

// pageScore is one page's comparison of a prediction with the truth.
type pageScore struct {
	// TP, FP and FN are divided by their sum, so they add up to 1 (or are
	// all 0 when neither text has a token).
	TP, FP, FN float64
	// Exact is whether the two token sequences are identical.
	Exact bool
	// TruthTokens and PredTokens count the tokens of each text.
	TruthTokens, PredTokens int
}

// scorePage compares a predicted text with the true one.
func scorePage(truth, pred string) pageScore {
	tt, pt := tokenize(truth), tokenize(pred)
	tc, pc := shingles(tt), shingles(pt)
	var tp, fp, fn int
	for s, t := range tc {
		p := pc[s]
		tp += min(t, p)
		fn += max(t-p, 0)
	}
	for s, p := range pc {
		fp += max(p-tc[s], 0)
	}
	ps := pageScore{Exact: slices.Equal(tt, pt), TruthTokens: len(tt), PredTokens: len(pt)}
	if sum := tp + fp + fn; sum > 0 {
		ps.TP = float64(tp) / float64(sum)
		ps.FP = float64(fp) / float64(sum)
		ps.FN = float64(fn) / float64(sum)
	}
	return ps
}

// Precision is TP/(TP+FP); ok is false for a prediction without tokens,
// which the corpus precision leaves out.
func (s pageScore) Precision() (p float64, ok bool) {
	if s.TP+s.FP == 0 {
		return 0, false
	}
	return s.TP / (s.TP + s.FP), true
}

// Recall is TP/(TP+FN); ok is false only when the truth has no tokens.
func (s pageScore) Recall() (r float64, ok bool) {
	if s.TP+s.FN == 0 {
		return 0, false
	}
	return s.TP / (s.TP + s.FN), true
}

// F1 is the page's own harmonic mean, used only to rank pages (-worst); the
// corpus F1 is computed from the corpus means instead.
func (s pageScore) F1() float64 {
	p, _ := s.Precision()
	r, _ := s.Recall()
	return harmonic(p, r)
}

func harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// summary is the corpus score of a set of pages.
type summary struct {
	Pages     int     `json:"pages"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Accuracy  float64 `json:"accuracy"`
	// PrecisionPages is how many pages had a prediction with tokens.
	PrecisionPages int `json:"precision_pages"`
}

// summarize averages precision over the pages whose prediction has tokens
// and recall over the pages whose truth has tokens, and takes F1 of the two
// means, as the reference script does.
func summarize(scores []pageScore) summary {
	var sum summary
	var recallPages, exact int
	for _, s := range scores {
		if p, ok := s.Precision(); ok {
			sum.Precision += p
			sum.PrecisionPages++
		}
		if r, ok := s.Recall(); ok {
			sum.Recall += r
			recallPages++
		}
		if s.Exact {
			exact++
		}
	}
	sum.Pages = len(scores)
	if sum.PrecisionPages > 0 {
		sum.Precision /= float64(sum.PrecisionPages)
	}
	if recallPages > 0 {
		sum.Recall /= float64(recallPages)
	}
	if len(scores) > 0 {
		sum.Accuracy = float64(exact) / float64(len(scores))
	}
	sum.F1 = harmonic(sum.Precision, sum.Recall)
	return sum
}
