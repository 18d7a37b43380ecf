package parser

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-03-27T09:15:00-04:00", utc(2024, 3, 27, 13, 15)},
		{"2024-03-27T13:15:00Z", utc(2024, 3, 27, 13, 15)},
		{"2024-03-27T13:15:00.000Z", utc(2024, 3, 27, 13, 15)},
		{"2024-03-27T09:15:00-0400", utc(2024, 3, 27, 13, 15)},
		{"2024-03-27T13:15:00", utc(2024, 3, 27, 13, 15)},
		{"2024-03-27T13:15", utc(2024, 3, 27, 13, 15)},
		{"2024-03-27 13:15:00", utc(2024, 3, 27, 13, 15)},
		{"2024-03-27", utc(2024, 3, 27, 0, 0)},
		{"  2024-03-27  ", utc(2024, 3, 27, 0, 0)},
		{"Wed, 27 Mar 2024 13:15:00 GMT", utc(2024, 3, 27, 13, 15)},
		{"Wed, 27 Mar 2024 09:15:00 -0400", utc(2024, 3, 27, 13, 15)},
		{"March 27, 2024", utc(2024, 3, 27, 0, 0)},
		{"Mar 27, 2024", utc(2024, 3, 27, 0, 0)},
		{"27 March 2024", utc(2024, 3, 27, 0, 0)},
		{"27.03.2024", utc(2024, 3, 27, 0, 0)},
		{"1711545300", utc(2024, 3, 27, 13, 15)},
		{"1711545300000", utc(2024, 3, 27, 13, 15)},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseDate(%q) = %v, %v; want %v in UTC", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "Jane Carter", "0000-00-00", "1066-10-14", "12345", "2024-13-45"} {
		if got, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want not a date", bad, got)
		}
	}
}
