package main

import (
	"math"
	"slices"
	"testing"
)

func TestTokenizeUnicode(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ,.; ", nil},
		{"Hello, world!", []string{"Hello", "world"}},
		{"snake_case x2 ½ Ⅻ", []string{"snake_case", "x2", "½", "Ⅻ"}},
		{"Straße über 東京 مرحبا", []string{"Straße", "über", "東京", "مرحبا"}},
		{"don't co-op", []string{"don", "t", "co", "op"}},
		// A soft hyphen and a combining mark split words, as Python's \w does.
		{"Fuß\u00adball e\u0301", []string{"Fuß", "ball", "e"}},
		{"«Zitat» — 3,5 %", []string{"Zitat", "3", "5"}},
	}
	for _, c := range cases {
		if got := tokenize(c.in); !slices.Equal(got, c.want) {
			t.Errorf("tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestShingles(t *testing.T) {
	toks := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('a' + i))
		}
		return out
	}
	cases := []struct {
		n    int
		want map[string]int
	}{
		{0, map[string]int{}},
		{2, map[string]int{"a b": 1}},
		{4, map[string]int{"a b c d": 1}},
		{10, map[string]int{"a b c d": 1, "b c d e": 1, "c d e f": 1, "d e f g": 1, "e f g h": 1, "f g h i": 1, "g h i j": 1}},
	}
	for _, c := range cases {
		got := shingles(toks(c.n))
		if len(got) != len(c.want) {
			t.Errorf("%d tokens: %d shingles %v, want %d", c.n, len(got), got, len(c.want))
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%d tokens: shingle %q counted %d, want %d", c.n, k, got[k], v)
			}
		}
	}
	// Repeated windows are a multiset, not a set.
	if got := shingles([]string{"x", "x", "x", "x", "x"}); got["x x x x"] != 2 {
		t.Errorf("repeated shingle counted %d, want 2", got["x x x x"])
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestScorePageNormalises(t *testing.T) {
	// Truth has 7 shingles; the prediction keeps the first 5 of them (8
	// tokens) and adds 3 tokens of its own, making 3 new shingles.
	truth := "a b c d e f g h i j"
	pred := "a b c d e f g h x y z"
	s := scorePage(truth, pred)
	// raw TP 5, FP 3, FN 2: divided by 10.
	if !near(s.TP, 0.5) || !near(s.FP, 0.3) || !near(s.FN, 0.2) {
		t.Fatalf("TP/FP/FN = %v/%v/%v, want 0.5/0.3/0.2", s.TP, s.FP, s.FN)
	}
	if p, _ := s.Precision(); !near(p, 5.0/8) {
		t.Errorf("precision = %v, want 5/8", p)
	}
	if r, _ := s.Recall(); !near(r, 5.0/7) {
		t.Errorf("recall = %v, want 5/7", r)
	}
	if s.Exact {
		t.Error("different texts reported exact")
	}
	// Punctuation and spacing do not matter; tokens do.
	same := scorePage("Hello, big wide world.", "hello big wide world")
	if same.Exact || same.TP != 0 {
		t.Errorf("case must matter: %+v", same)
	}
	exact := scorePage("Hello, big wide world.", "Hello big\n\nwide  world")
	if !exact.Exact || exact.TP != 1 || exact.FP != 0 || exact.FN != 0 {
		t.Errorf("same tokens: %+v, want exact with TP 1", exact)
	}
}

func TestEmptyPredictionLeftOutOfPrecision(t *testing.T) {
	scores := []pageScore{
		scorePage("one two three four five", "one two three four five"), // P 1, R 1
		scorePage("six seven eight nine ten", ""),                       // no prediction: R 0, no P
		scorePage("a b c d e", "x y z w v"),                             // P 0, R 0
	}
	if _, ok := scores[1].Precision(); ok {
		t.Fatal("an empty prediction must have no precision")
	}
	s := summarize(scores)
	if s.PrecisionPages != 2 || !near(s.Precision, 0.5) {
		t.Errorf("precision = %v over %d pages, want 0.5 over 2", s.Precision, s.PrecisionPages)
	}
	if !near(s.Recall, 1.0/3) {
		t.Errorf("recall = %v, want 1/3", s.Recall)
	}
	if want := 2 * 0.5 * (1.0 / 3) / (0.5 + 1.0/3); !near(s.F1, want) {
		t.Errorf("F1 = %v, want %v (F1 of the means)", s.F1, want)
	}
	if !near(s.Accuracy, 1.0/3) {
		t.Errorf("accuracy = %v, want 1/3", s.Accuracy)
	}
}
