package news

import (
	"net/url"
	"slices"
	"strings"
)

// SourceHosts are the hosts a source's pages come from: its allowed
// domains, else the hosts of its seed, feed and sitemap URLs; lower-case,
// without port, each once, in the order given. The crawler follows links
// to these hosts and the parser applies the source's extraction rules to
// pages of these hosts: one function, so the two cannot drift apart.
// Entries that are no host (blank, or a URL without one) are left out;
// validating them is the caller's job.
func SourceHosts(allowedDomains, urls []string) []string {
	var hosts []string
	add := func(h string) {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	for _, d := range allowedDomains {
		add(d)
	}
	if len(hosts) > 0 {
		return hosts
	}
	for _, raw := range urls {
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil {
			add(u.Hostname())
		}
	}
	return hosts
}
