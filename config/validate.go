package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/andybalholm/cascadia"
	"github.com/robfig/cron/v3"

	"newsdesk/news"
)

// Validate checks c and returns every problem joined (errors.Join), one per
// line, each starting with the key path: `crawl.delay: must not be
// negative`, `sources[1].seeds[0]: "ftp://x" is not an absolute http(s) URL`.
// It does no I/O: files named by the config are opened by their users.
func (c *Config) Validate() error {
	var p problems
	if c.DataDir == "" {
		p.add("data_dir", "must not be empty")
	}
	c.NATS.validate(&p)
	c.NATS.validateStreams(&p)
	c.Elasticsearch.validate(&p)
	if err := checkHostPort(c.HTTP.Addr); err != nil {
		p.add("http.addr", "%v", err)
	}
	for i, k := range c.HTTP.APIKeys {
		if len(k) < minAPIKeyLen || strings.IndexFunc(k, unicode.IsSpace) >= 0 {
			p.add(fmt.Sprintf("http.api_keys[%d]", i), "want at least %d characters and no spaces", minAPIKeyLen)
		}
	}
	c.Crawl.validate(&p)
	for i, r := range c.Topics.Rules {
		key := fmt.Sprintf("topics.rules[%d]", i)
		if strings.TrimSpace(r.Name) == "" {
			p.add(key+".name", "required")
		}
		if len(r.Keywords) == 0 {
			p.add(key+".keywords", "at least one keyword is required")
		}
	}

	seen := map[string]int{}
	for i, s := range c.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		s.validate(key, &p)
		if j, dup := seen[s.Name]; dup && s.Name != "" {
			p.add(key+".name", "%q is already the name of sources[%d]", s.Name, j)
		} else {
			seen[s.Name] = i
		}
	}
	validateWatches(c.Watches, c.Sources, &p)
	return errors.Join(p...)
}

// problems collects validation errors, each prefixed with its key path.
type problems []error

func (p *problems) add(key, format string, args ...any) {
	*p = append(*p, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
}

func (n *NATS) validate(p *problems) {
	if n.URL != "" {
		if err := checkNATSURL(n.URL); err != nil {
			p.add("nats.url", "%v", err)
		}
	}
	if n.Stream == "" {
		p.add("nats.stream", "must not be empty")
	} else if strings.ContainsAny(n.Stream, ".*> \t\r\n/\\") {
		p.add("nats.stream", "%q is not a valid stream name (no spaces, dots, *, >, / or \\)", n.Stream)
	}
	if n.Replicas < 1 || n.Replicas > 5 {
		p.add("nats.replicas", "must be between 1 and 5, got %d", n.Replicas)
	}
	if n.MaxAge < 0 {
		p.add("nats.max_age", "must not be negative (0 keeps events forever)")
	}
	switch {
	case n.DuplicateWindow < 0:
		p.add("nats.duplicate_window", "must not be negative")
	case n.MaxAge > 0 && n.DuplicateWindow > n.MaxAge:
		p.add("nats.duplicate_window", "%s must not exceed nats.max_age (%s)", n.DuplicateWindow, n.MaxAge)
	}
	if n.Embedded.Host == "" {
		p.add("nats.embedded.host", "must not be empty")
	}
	if n.Embedded.Port < -1 || n.Embedded.Port > 65535 {
		p.add("nats.embedded.port", "must be between -1 (a free port) and 65535, got %d", n.Embedded.Port)
	}
}

func (e *Elasticsearch) validate(p *problems) {
	for i, u := range e.URLs {
		if err := checkHTTPURL(u); err != nil {
			p.add(fmt.Sprintf("elasticsearch.urls[%d]", i), "%v", err)
		}
	}
	switch {
	case e.APIKey != "" && (e.Username != "" || e.Password != ""):
		p.add("elasticsearch.api_key", "set either api_key or username and password, not both")
	case e.Username != "" && e.Password == "":
		p.add("elasticsearch.password", "required when username is set")
	case e.Password != "" && e.Username == "":
		p.add("elasticsearch.username", "required when password is set")
	}
	if err := checkIndexName(e.Index); err != nil {
		p.add("elasticsearch.index", "%v", err)
	}
	if e.RefreshInterval <= 0 {
		p.add("elasticsearch.refresh_interval", "must be positive, like 1s")
	}
	if e.Analyzer == "" {
		p.add("elasticsearch.analyzer", "must not be empty")
	} else if strings.IndexFunc(e.Analyzer, unicode.IsSpace) >= 0 {
		p.add("elasticsearch.analyzer", "%q is not an analyzer name", e.Analyzer)
	}
}

func (c *Crawl) validate(p *problems) {
	positive := func(key string, d Duration) {
		if d < 0 {
			p.add(key, "must not be negative")
		} else if d == 0 {
			p.add(key, "must be positive")
		}
	}
	atLeastOne := func(key string, n int) {
		if n < 0 {
			p.add(key, "must not be negative")
		} else if n == 0 {
			p.add(key, "must be at least 1")
		}
	}
	if err := checkUserAgent(c.UserAgent); err != nil {
		p.add("crawl.user_agent", "%v", err)
	}
	positive("crawl.interval", c.Interval)
	atLeastOne("crawl.parallelism", c.Parallelism)
	if c.Delay < 0 {
		p.add("crawl.delay", "must not be negative")
	}
	positive("crawl.timeout", c.Timeout)
	atLeastOne("crawl.max_pages", c.MaxPages)
	atLeastOne("crawl.max_body_bytes", c.MaxBodyBytes)
	if c.Retries < 0 {
		p.add("crawl.retries", "must not be negative")
	}
	atLeastOne("crawl.max_redirects", c.MaxRedirects)
	positive("crawl.sitemap_max_age", c.SitemapMaxAge)
	positive("crawl.lease_ttl", c.LeaseTTL)
	if c.Schedule != "" {
		if _, err := cron.ParseStandard(c.Schedule); err != nil {
			p.add("crawl.schedule", "%q is not a cron expression: %v", c.Schedule, err)
		}
	}
	for i, t := range c.TrackingParams {
		if strings.TrimSpace(t) == "" || strings.ContainsAny(t, "&=#? ") {
			p.add(fmt.Sprintf("crawl.tracking_params[%d]", i), "%q is not a query parameter name", t)
		}
	}
	positive("crawl.connect_timeout", c.ConnectTimeout)
	positive("crawl.tls_timeout", c.TLSTimeout)
	positive("crawl.header_timeout", c.HeaderTimeout)
	atLeastOne("crawl.max_domain_failures", c.MaxDomainFailures)
	for i, e := range c.PrivateExceptions {
		if !validPrivateException(e) {
			p.add(fmt.Sprintf("crawl.private_exceptions[%d]", i), "%q is not an IP, a CIDR prefix (10.0.0.0/8) or ip:port", e)
		}
	}
}

// validPrivateException accepts what the crawler's SSRF guard takes as an
// exception: an IP, a CIDR prefix or an ip:port.
func validPrivateException(e string) bool {
	e = strings.TrimSpace(e)
	if _, err := netip.ParseAddrPort(e); err == nil {
		return true
	}
	if _, err := netip.ParsePrefix(e); err == nil {
		return true
	}
	_, err := netip.ParseAddr(e)
	return err == nil
}

func (s *Source) validate(key string, p *problems) {
	switch {
	case s.Name == "":
		p.add(key+".name", "required")
	case !news.ValidSourceName(s.Name):
		p.add(key+".name", "%q is not a valid source name (lower-case letters, digits, - and _)", s.Name)
	}
	if len(s.Seeds)+len(s.Feeds)+len(s.Sitemaps) == 0 {
		p.add(key+".seeds", "at least one seed, feed or sitemap URL is required")
	}
	for _, f := range []struct {
		field string
		urls  []string
	}{{"seeds", s.Seeds}, {"feeds", s.Feeds}, {"sitemaps", s.Sitemaps}} {
		field := f.field
		for i, seed := range f.urls {
			skey := fmt.Sprintf("%s.%s[%d]", key, field, i)
			if err := checkHTTPURL(seed); err != nil {
				p.add(skey, "%v", err)
				continue
			}
			u, _ := url.Parse(seed)
			if len(s.AllowedDomains) > 0 && !slices.Contains(s.AllowedDomains, u.Hostname()) {
				p.add(skey, "host %q is not in allowed_domains", u.Hostname())
			}
		}
	}
	for i, d := range s.AllowedDomains {
		if err := checkHostName(d); err != nil {
			p.add(fmt.Sprintf("%s.allowed_domains[%d]", key, i), "%v", err)
		}
	}
	if s.MaxDepth < 1 {
		p.add(key+".max_depth", "must be at least 1 (1 follows the seeds' links only), got %d", s.MaxDepth)
	}
	compileAll(key+".include", s.Include, p)
	compileAll(key+".exclude", s.Exclude, p)
	checkSelectors(key+".extract.body", s.Extract.Body, p)
	checkSelectors(key+".extract.walls", s.Extract.Walls, p)
	checkSelectors(key+".extract.drop", s.Extract.Drop, p)
}

// checkSelectors reports every CSS selector that does not parse, with the
// parser the extraction uses (goquery's cascadia), so a typo stops the
// program at start instead of silently never matching.
func checkSelectors(key string, selectors []string, p *problems) {
	for i, sel := range selectors {
		if strings.TrimSpace(sel) == "" {
			p.add(fmt.Sprintf("%s[%d]", key, i), "empty selector")
		} else if _, err := cascadia.ParseGroup(sel); err != nil {
			p.add(fmt.Sprintf("%s[%d]", key, i), "%q is not a CSS selector: %v", sel, err)
		}
	}
}

// compileAll reports every pattern that does not compile.
func compileAll(key string, patterns []string, p *problems) {
	for i, pat := range patterns {
		if _, err := regexp.Compile(pat); err != nil {
			p.add(fmt.Sprintf("%s[%d]", key, i), "%q does not compile: %v", pat, err)
		}
	}
}

// checkNATSURL accepts what nats.Connect accepts as a server list: one or
// more comma-separated nats://, tls://, ws:// or wss:// URLs with a host.
func checkNATSURL(s string) error {
	for u := range strings.SplitSeq(s, ",") {
		u = strings.TrimSpace(u)
		pu, err := url.Parse(u)
		if err != nil || pu.Host == "" || pu.Hostname() == "" ||
			!slices.Contains([]string{"nats", "tls", "ws", "wss"}, pu.Scheme) {
			return fmt.Errorf("%q is not a NATS URL (write nats://host:4222; separate several with commas)", u)
		}
	}
	return nil
}

// minAPIKeyLen is the shortest API key accepted: a guessable key is no key.
const minAPIKeyLen = 16

// checkHTTPURL accepts an absolute http or https URL with a host.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

// checkHostPort accepts a listen address: an optional host and a numeric
// port ("127.0.0.1:8080", ":8080", "[::1]:0").
func checkHostPort(s string) error {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("%q is not a host:port address", s)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port number", s)
	}
	return nil
}

// checkHostName accepts a bare lower-case host name, as colly compares it to
// a URL's host: no scheme, port, path or wildcard.
func checkHostName(s string) error {
	if s == "" || s != strings.ToLower(s) || strings.ContainsAny(s, ":/*?#@ \t") {
		return fmt.Errorf("%q is not a lower-case host name (write www.example.com, without scheme, port or path)", s)
	}
	return nil
}

// checkUserAgent rejects an empty agent and one that would break the header.
func checkUserAgent(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("must not be empty")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("%q contains control characters", s)
	}
	return nil
}

// checkIndexName applies Elasticsearch's rules for index and alias names.
func checkIndexName(s string) error {
	switch {
	case s == "":
		return errors.New("must not be empty")
	case s == "." || s == "..":
		return fmt.Errorf("%q is not a valid index name", s)
	case s != strings.ToLower(s):
		return fmt.Errorf("%q is not a valid index name (must be lower case)", s)
	case strings.ContainsAny(s, "\\/*?\"<>| ,#:"):
		return fmt.Errorf("%q is not a valid index name (no spaces or any of \\ / * ? \" < > | , # :)", s)
	case strings.IndexAny(s[:1], "-_+") == 0:
		return fmt.Errorf("%q is not a valid index name (must not start with -, _ or +)", s)
	case len(s) > 255:
		return fmt.Errorf("index name is longer than 255 bytes")
	}
	return nil
}
