package config

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration written as Go writes durations ("30s", "15m",
// "1h30m") in YAML. yaml.v3 would otherwise read a bare integer as
// nanoseconds and reject "15m".
type Duration time.Duration

// String formats d without the trailing zero units time.Duration adds, so
// 15m prints as "15m", not "15m0s".
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// MarshalYAML writes d as a duration string, so a marshalled Config loads
// back.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalYAML parses a duration string. Errors are *yaml.TypeError with the
// line, so the decoder reports them with every other problem in the file.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	bad := func(format string, args ...any) error {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: ", n.Line) + fmt.Sprintf(format, args...)}}
	}
	if n.Kind != yaml.ScalarNode {
		return bad("a duration must be a string like 30s, 15m or 1h30m")
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return bad("%q is not a duration (write e.g. 30s, 15m, 1h30m)", n.Value)
	}
	*d = Duration(v)
	return nil
}
