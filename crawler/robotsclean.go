package crawler

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// lenientRobots returns the lines of a robots.txt that its rules can be
// read from, in order, dropping those that make temoto/robotstxt (colly's
// parser) reject the whole file, and with it the whole host: an Allow,
// Disallow or Crawl-delay before the first User-agent, or a Crawl-delay
// that is not a non-negative number. Unknown and malformed lines go too.
// That is how Google reads a robots.txt (RFC 9309 §2.2): what cannot be
// parsed is ignored, and the rest still applies.
func lenientRobots(body []byte) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	var out bytes.Buffer
	out.Grow(len(body))
	agent := false
	for line := range strings.Lines(string(body)) {
		key, val, ok := robotsLine(line)
		if !ok {
			continue
		}
		switch key {
		case "user-agent":
			agent = true
		case "allow", "disallow":
			if !agent {
				continue
			}
		case "crawl-delay", "crawldelay":
			if !agent || !validDelay(val) {
				continue
			}
		case "sitemap", "host":
		default:
			continue
		}
		out.WriteString(key)
		out.WriteString(": ")
		out.WriteString(val)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// robotsLine splits "Key: value # comment" into a lower-case key and the
// value's first token; ok is false for blank, comment-only and colon-less
// lines.
func robotsLine(line string) (key, val string, ok bool) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	key, val, ok = strings.Cut(line, ":")
	if !ok {
		return "", "", false
	}
	key = strings.ToLower(strings.TrimSpace(key))
	if key == "" || strings.ContainsAny(key, " \t") {
		return "", "", false
	}
	// A value is one token (RFC 9309 writes a space in a path as %20):
	// what follows a blank is dropped, since temoto/robotstxt reads a
	// later "crawl-delay" word there as a key of its own and rejects the
	// file over it ("User-Agent: 0 Crawldelay").
	if f := strings.Fields(val); len(f) > 0 {
		val = f[0]
	} else {
		val = ""
	}
	return key, val, true
}

func validDelay(v string) bool {
	d, err := strconv.ParseFloat(v, 64)
	return err == nil && d >= 0 && !math.IsInf(d, 0) && !math.IsNaN(d)
}
