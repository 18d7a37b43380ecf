package crawler

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/gocolly/colly/v2"

	"newsdesk/news"
)

// Source is one publisher to crawl.
type Source struct {
	// Name is the source's subject-safe name (news.ValidSourceName); it is
	// stamped on every article found from the source's seeds.
	Name string
	// Seeds are the start URLs: section or listing pages, article pages, or
	// RSS/Atom feeds (whose item links are followed). Seeds are exempt from
	// Include and Exclude, but not from robots.txt.
	Seeds []string
	// Feeds are RSS, Atom or JSON feeds whose items are followed.
	Feeds []string
	// Sitemaps are sitemap indexes or url sets (gzipped or not, Google News
	// sitemaps too) whose recent entries are followed.
	Sitemaps []string
	// A source without Feeds and Sitemaps discovers them: the Sitemap lines
	// of robots.txt and the <link rel="alternate"> feeds of its seed pages
	// are followed as if configured.
	// AllowedDomains are the hosts (exact, without port) links may lead to;
	// default: the hosts of the seeds.
	AllowedDomains []string
	// MaxDepth is the link depth from a seed (a seed's own links are depth 1);
	// 0 means DefaultMaxDepth.
	MaxDepth int
	// Include are regexps a link's URL must match (any of them) to be fetched
	// as a candidate article or listing; empty means every URL in the domains.
	Include []string
	// Exclude are regexps that refuse a link's URL; they win over Include.
	Exclude []string
}

// site is a validated Source, ready for one pass.
type site struct {
	name     string
	seeds    []string // seeds, feeds and sitemaps, normalised
	discover bool
	domains  []string // lower-case hosts, no port
	maxDepth int
	include  []*regexp.Regexp
	exclude  []*regexp.Regexp
	norm     *normalizer
	col      *colly.Collector // set by pass.collectors
}

// compileSources validates the sources and compiles their patterns, so a bad
// configuration fails before any request is made.
func compileSources(sources []Source, n *normalizer) ([]*site, error) {
	if len(sources) == 0 {
		return nil, fmt.Errorf("no sources to crawl")
	}
	sites := make([]*site, 0, len(sources))
	seen := make(map[string]bool, len(sources))
	for i, src := range sources {
		s, err := compileSource(src, n)
		if err != nil {
			return nil, fmt.Errorf("source %d (%q): %w", i, src.Name, err)
		}
		if seen[s.name] {
			return nil, fmt.Errorf("source %d: duplicate name %q", i, s.name)
		}
		seen[s.name] = true
		sites = append(sites, s)
	}
	return sites, nil
}

func compileSource(src Source, n *normalizer) (*site, error) {
	if !news.ValidSourceName(src.Name) {
		return nil, fmt.Errorf("invalid name: want lower-case letters, digits, '-' and '_'")
	}
	if len(src.Seeds)+len(src.Feeds)+len(src.Sitemaps) == 0 {
		return nil, fmt.Errorf("no seeds, feeds or sitemaps")
	}
	if src.MaxDepth < 0 {
		return nil, fmt.Errorf("MaxDepth must not be negative, got %d", src.MaxDepth)
	}
	s := &site{name: src.Name, maxDepth: src.MaxDepth, norm: n,
		discover: len(src.Feeds)+len(src.Sitemaps) == 0}
	if s.maxDepth == 0 {
		s.maxDepth = DefaultMaxDepth
	}
	for _, d := range src.AllowedDomains {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == "" || strings.ContainsAny(d, "/:") {
			return nil, fmt.Errorf("allowed domain %q: want a bare host name", d)
		}
	}
	urls := slices.Concat(src.Seeds, src.Feeds, src.Sitemaps)
	s.domains = news.SourceHosts(src.AllowedDomains, urls)
	for _, raw := range urls {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("seed %q: want an absolute http(s) URL", raw)
		}
		if host := strings.ToLower(u.Hostname()); !slices.Contains(s.domains, host) {
			return nil, fmt.Errorf("seed %q: host %q is not in AllowedDomains", raw, host)
		}
		s.seeds = appendUnique(s.seeds, n.normalize(u))
	}
	var err error
	if s.include, err = compilePatterns("Include", src.Include); err != nil {
		return nil, err
	}
	if s.exclude, err = compilePatterns("Exclude", src.Exclude); err != nil {
		return nil, err
	}
	return s, nil
}

func compilePatterns(field string, patterns []string) ([]*regexp.Regexp, error) {
	res := make([]*regexp.Regexp, 0, len(patterns))
	for _, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("%s pattern %q: %w", field, p, err)
		}
		res = append(res, re)
	}
	return res, nil
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// verdict is what to do with a link.
type verdict int

const (
	follow verdict = iota // fetch it
	ignore                // not a candidate at all: off-domain, not http(s)
	refuse                // a candidate the source's patterns refuse: counted as skipped
)

// check decides whether a link (already absolute) is fetched, and returns it
// normalised (see normalizer.normalize), so that /a, /a#comments and
// /a?utm_source=x are one URL.
func (s *site) check(abs string) (string, verdict) {
	if abs == "" {
		return "", ignore
	}
	u, err := url.Parse(abs)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", ignore
	}
	if !slices.Contains(s.domains, strings.ToLower(u.Hostname())) {
		return "", ignore
	}
	link := s.norm.normalize(u)
	if matchesAny(s.exclude, link) {
		return link, refuse
	}
	if len(s.include) > 0 && !matchesAny(s.include, link) {
		return link, refuse
	}
	return link, follow
}

func matchesAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}
