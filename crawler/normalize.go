package crawler

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultTrackingParams are the query parameters that say how a reader
// arrived, not what they read. A trailing * matches a prefix. They are
// removed from every URL before it is queued, so one story reached from a
// newsletter, a social post and the home page is fetched once.
var DefaultTrackingParams = []string{
	"utm_*", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
	"mc_cid", "mc_eid", "_ga", "_gl", "igshid", "twclid", "li_fat_id",
	"_hsenc", "_hsmi", "mkt_tok", "vero_id", "oly_anon_id", "oly_enc_id",
	"wt_mc", "wt.mc_id", "cmpid", "ocid", "ref_src", "ref_url", "smid", "sr_share",
}

// normalizer puts URLs in the one form the crawler queues, keys its state
// by and compares canonical links with.
type normalizer struct {
	exact    map[string]bool
	prefixes []string
}

func newNormalizer(params []string) *normalizer {
	n := &normalizer{exact: make(map[string]bool)}
	for _, p := range params {
		p = strings.ToLower(strings.TrimSpace(p))
		switch {
		case p == "":
		case strings.HasSuffix(p, "*"):
			n.prefixes = append(n.prefixes, strings.TrimSuffix(p, "*"))
		default:
			n.exact[p] = true
		}
	}
	return n
}

func (n *normalizer) tracking(param string) bool {
	param = strings.ToLower(param)
	if n.exact[param] {
		return true
	}
	for _, p := range n.prefixes {
		if strings.HasPrefix(param, p) {
			return true
		}
	}
	return false
}

// normalize returns u in canonical form: scheme and host in lower case,
// the default port and the fragment gone, dot segments resolved, tracking
// parameters removed and the remaining ones sorted (so ?a=1&b=2 and
// ?b=2&a=1 are one URL), and an empty path written as "/". It does not
// touch the path's case or its trailing slash: servers differ on those.
func (n *normalizer) normalize(u *url.URL) string {
	v := *u
	v.Scheme = strings.ToLower(v.Scheme)
	host := strings.ToLower(v.Host)
	host = strings.TrimRight(host, ".")
	if (v.Scheme == "http" && strings.HasSuffix(host, ":80")) || (v.Scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	v.Host = host
	v.Fragment, v.RawFragment = "", ""
	v.User = nil
	if v.Path == "" {
		v.Path, v.RawPath = "/", ""
	} else if strings.Contains(v.Path, "/.") {
		clean := path.Clean(v.Path)
		if strings.HasSuffix(v.Path, "/") && clean != "/" {
			clean += "/"
		}
		v.Path, v.RawPath = clean, ""
	}
	v.RawQuery = n.query(v.RawQuery)
	v.ForceQuery = false
	return v.String()
}

// query drops tracking parameters and sorts the rest, keeping each
// parameter's own encoding (re-encoding could change what the server sees).
func (n *normalizer) query(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' })
	kept := parts[:0]
	for _, p := range parts {
		p = escapeSpaces(p)
		name, _, _ := strings.Cut(p, "=")
		if unescaped, err := url.QueryUnescape(name); err == nil {
			name = unescaped
		}
		if !n.tracking(name) {
			kept = append(kept, p)
		}
	}
	slices.SortStableFunc(kept, func(a, b string) int {
		ka, _, _ := strings.Cut(a, "=")
		kb, _, _ := strings.Cut(b, "=")
		return strings.Compare(ka, kb)
	})
	return strings.Join(kept, "&")
}

// escapeSpaces percent-encodes the spaces and control characters that
// url.Parse leaves raw in a query, as a browser sends them: raw, a
// trailing one would be trimmed from the URL when it is read again, and
// normalising would not be idempotent. The rest keeps its encoding.
func escapeSpaces(part string) string {
	if !strings.ContainsFunc(part, needsEscape) {
		return part
	}
	var b strings.Builder
	for len(part) > 0 {
		r, size := utf8.DecodeRuneInString(part)
		if r == utf8.RuneError || !needsEscape(r) {
			b.WriteString(part[:size]) // invalid bytes stay as they were
		} else {
			for _, c := range []byte(part[:size]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		part = part[size:]
	}
	return b.String()
}

// needsEscape is true for a space (Unicode's, too) or a control character.
func needsEscape(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r)
}

// normalizeString parses and normalizes raw; it returns "" for anything
// that is not an absolute http(s) URL.
func (n *normalizer) normalizeString(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "HTTP" && u.Scheme != "HTTPS") || strings.Trim(u.Hostname(), ".") == "" {
		return ""
	}
	return n.normalize(u)
}
