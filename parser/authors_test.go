package parser

import (
	"reflect"
	"testing"
)

func TestCleanAuthors(t *testing.T) {
	tests := []struct {
		name string
		raw  []string
		want []string
	}{
		{"plain", []string{"Jane Carter"}, []string{"Jane Carter"}},
		{"by prefix", []string{"By Jane Carter"}, []string{"Jane Carter"}},
		{"lower-case by and colon", []string{"by: Jane Carter"}, []string{"Jane Carter"}},
		{"two names with and", []string{"By Priya Raman and Tomás Ortega"}, []string{"Priya Raman", "Tomás Ortega"}},
		{"list with commas and ampersand", []string{"Ann Lee, Bo Park & Cy Diaz"}, []string{"Ann Lee", "Bo Park", "Cy Diaz"}},
		{"byline with date", []string{"By Jane Carter · March 27, 2024"}, []string{"Jane Carter"}},
		{"byline with pipe and updated", []string{"By Jane Carter | Updated 10:30 AM ET, Mar 27, 2024"}, []string{"Jane Carter"}},
		{"date after on", []string{"Jane Carter on 27 March 2024"}, []string{"Jane Carter"}},
		{"role after comma", []string{"Marcus Holt, Enforcement Correspondent"}, []string{"Marcus Holt"}},
		{"German Von und", []string{"Von Anna Schmidt und Jonas Weber"}, []string{"Anna Schmidt", "Jonas Weber"}},
		{"French par", []string{"Par Claire Dubois"}, []string{"Claire Dubois"}},
		{"agency in parentheses", []string{"Jane Carter (Reuters)"}, []string{"Jane Carter"}},
		{"duplicates ignore case", []string{"Jane Carter", "JANE CARTER", "jane carter"}, []string{"Jane Carter"}},
		{"profile URL is not a name", []string{"https://www.facebook.com/janecarter"}, []string{}},
		{"e-mail is not a name", []string{"jane@example.com"}, []string{}},
		{"bare date is not a name", []string{"2024-03-27"}, []string{}},
		{"empty", []string{"", "  "}, []string{}},
		{"initials keep their dots", []string{"By J.R. Hartley"}, []string{"J.R. Hartley"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cleanAuthors(tt.raw...)
			if got == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("cleanAuthors(%q) = %#v, want %#v", tt.raw, got, tt.want)
			}
		})
	}
}

func TestIsBylineLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"By Jane Carter", true},
		{"By Jane Carter and John Roe", true},
		{"Von Anna Schmidt, 14. Mai 2024", true},
		{"By Marcus Holt, Enforcement Correspondent", true},
		{"By Tuesday, the river had risen above the levee.", false},
		{"By the end of the year, prices had doubled.", false},
		{"Jane Carter", false},
	}
	for _, tt := range tests {
		if got := isBylineLine(tt.line); got != tt.want {
			t.Errorf("isBylineLine(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}
