package parser

import (
	"testing"
	"time"
)

// One row per human form: the instant it names, in UTC.
func TestParseHumanDates(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"27. März 2024", utc(2024, 3, 27, 0, 0)},
		{"27. März 2024 um 17:30 Uhr", utc(2024, 3, 27, 17, 30)},
		{"Mittwoch, 27. März 2024", utc(2024, 3, 27, 0, 0)},
		{"27 mars 2024", utc(2024, 3, 27, 0, 0)},
		{"1er avril 2024", utc(2024, 4, 1, 0, 0)},
		{"27 mars 2024 à 17h30", utc(2024, 3, 27, 17, 30)},
		{"27 de marzo de 2024", utc(2024, 3, 27, 0, 0)},
		{"March 27, 2024 at 5:30 p.m. EDT", utc(2024, 3, 27, 21, 30)},
		{"March 27, 2024 at 5:30 p.m. PST", utc(2024, 3, 28, 1, 30)},
		{"March 27, 2024 5:30 PM", utc(2024, 3, 27, 17, 30)},
		{"27 March 2024 17:30 CEST", utc(2024, 3, 27, 15, 30)},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseDate(%q) = %v, %v; want %v in UTC", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"März", "27 Katzen 2024", "am 27. des Monats", "a 27 de 2024"} {
		if got, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want not a date", bad, got)
		}
	}
}
