package config

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
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
// Its only I/O is checking that the files named by the config can be
// opened; their users read them.
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
	if c.Metrics.Addr != "" {
		if err := checkHostPort(c.Metrics.Addr); err != nil {
			p.add("metrics.addr", "%v", err)
		}
	}
	if err := CheckLogFormat(c.Log.Format); c.Log.Format != "" && err != nil {
		p.add("log.format", "%v", err)
	}
	if err := CheckLogLevel(c.Log.Level); c.Log.Level != "" && err != nil {
		p.add("log.level", "%v", err)
	}
	if c.HTTP.MaxConcurrent < 1 {
		p.add("http.max_concurrent", "want at least 1, got %d", c.HTTP.MaxConcurrent)
	}
	for i, k := range c.HTTP.APIKeys {
		if len(k) < minAPIKeyLen || strings.IndexFunc(k, unicode.IsSpace) >= 0 {
			p.add(fmt.Sprintf("http.api_keys[%d]", i), "want at least %d characters and no spaces", minAPIKeyLen)
		}
	}
	c.Crawl.validate(&p)
	c.validateBounds(&p)
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
	if n.Embedded.MonitorPort < -1 || n.Embedded.MonitorPort > 65535 {
		p.add("nats.embedded.monitor_port", "must be between -1 (a free port) and 65535 (0 is off), got %d", n.Embedded.MonitorPort)
	}
	if n.Embedded.Port < -1 || n.Embedded.Port > 65535 {
		p.add("nats.embedded.port", "must be between -1 (a free port) and 65535, got %d", n.Embedded.Port)
	}
	n.validateAuth(p)
}

// validateAuth allows one way to authenticate to NATS (creds file, nkey
// seed file, user and password, or token) and checks that every file named
// can be read; secrets and file contents are never echoed.
func (n *NATS) validateAuth(p *problems) {
	var methods []string
	for _, m := range []struct {
		name string
		set  bool
	}{
		{"creds_file", n.CredsFile != ""},
		{"nkey_file", n.NkeyFile != ""},
		{"user and password", n.User != "" || n.Password != "" || n.PasswordFile != ""},
		{"token", n.Token != "" || n.TokenFile != ""},
	} {
		if m.set {
			methods = append(methods, m.name)
		}
	}
	switch {
	case len(methods) > 1:
		p.add("nats", "set one way to authenticate (creds_file, nkey_file, user and password, or token), got %s", strings.Join(methods, " and "))
	case n.Password != "" && n.PasswordFile != "":
		p.add("nats.password_file", "set either password or password_file, not both")
	case n.Token != "" && n.TokenFile != "":
		p.add("nats.token_file", "set either token or token_file, not both")
	case n.User != "" && n.Password == "" && n.PasswordFile == "":
		p.add("nats.password", "required when user is set (or password_file)")
	case n.User == "" && (n.Password != "" || n.PasswordFile != ""):
		p.add("nats.user", "required when a password is set")
	}
	for _, f := range []struct{ key, path string }{
		{"nats.creds_file", n.CredsFile}, {"nats.nkey_file", n.NkeyFile},
		{"nats.password_file", n.PasswordFile}, {"nats.token_file", n.TokenFile},
		{"nats.tls.ca_file", n.TLS.CAFile}, {"nats.tls.cert_file", n.TLS.CertFile}, {"nats.tls.key_file", n.TLS.KeyFile},
	} {
		checkReadable(p, f.key, f.path)
	}
	switch {
	case n.TLS.CertFile != "" && n.TLS.KeyFile == "":
		p.add("nats.tls.key_file", "required when tls.cert_file is set")
	case n.TLS.KeyFile != "" && n.TLS.CertFile == "":
		p.add("nats.tls.cert_file", "required when tls.key_file is set")
	}
}

func (e *Elasticsearch) validate(p *problems) {
	for i, u := range e.URLs {
		if err := checkHTTPURL(u); err != nil {
			p.add(fmt.Sprintf("elasticsearch.urls[%d]", i), "%v", err)
		}
	}
	e.validateAuth(p)
	e.validateTLS(p)
	if e.Shards < 1 || e.Shards > maxESShards {
		p.add("elasticsearch.shards", "must be between 1 and %d, got %d", maxESShards, e.Shards)
	}
	if err := CheckReplicas(e.Replicas); err != nil {
		p.add("elasticsearch.replicas", "%v", err)
	}
	if err := checkIndexName(e.Index); err != nil {
		p.add("elasticsearch.index", "%v", err)
	}
	if e.RefreshInterval <= 0 {
		p.add("elasticsearch.refresh_interval", "must be positive, like 1s")
	} else if e.RefreshInterval > maxTimeout {
		p.add("elasticsearch.refresh_interval", "must be at most %s, got %s", maxTimeout, e.RefreshInterval)
	}
	if e.Analyzer == "" {
		p.add("elasticsearch.analyzer", "must not be empty")
	} else if strings.IndexFunc(e.Analyzer, unicode.IsSpace) >= 0 {
		p.add("elasticsearch.analyzer", "%q is not an analyzer name", e.Analyzer)
	}
}

// maxESShards is Elasticsearch's own limit on the primary shards of an
// index.
const maxESShards = 1024

// validateAuth allows one way to authenticate: a username with a password
// (inline or from password_file), or an API key (inline or from
// api_key_file). Secret files must be readable; their contents are never
// echoed.
func (e *Elasticsearch) validateAuth(p *problems) {
	basic := e.Username != "" || e.Password != "" || e.PasswordFile != ""
	apiKey := e.APIKey != "" || e.APIKeyFile != ""
	switch {
	case basic && apiKey:
		p.add("elasticsearch.api_key", "set either api_key or username and password, not both (the _file keys count as set)")
	case e.Password != "" && e.PasswordFile != "":
		p.add("elasticsearch.password_file", "set either password or password_file, not both")
	case e.APIKey != "" && e.APIKeyFile != "":
		p.add("elasticsearch.api_key_file", "set either api_key or api_key_file, not both")
	case e.Username != "" && e.Password == "" && e.PasswordFile == "":
		p.add("elasticsearch.password", "required when username is set (or password_file)")
	case e.Username == "" && (e.Password != "" || e.PasswordFile != ""):
		p.add("elasticsearch.username", "required when a password is set")
	}
	checkReadable(p, "elasticsearch.password_file", e.PasswordFile)
	checkReadable(p, "elasticsearch.api_key_file", e.APIKeyFile)
}

// validateTLS checks the files and the fingerprint that verify the cluster.
func (e *Elasticsearch) validateTLS(p *problems) {
	checkReadable(p, "elasticsearch.tls.ca_file", e.TLS.CAFile)
	checkReadable(p, "elasticsearch.tls.cert_file", e.TLS.CertFile)
	checkReadable(p, "elasticsearch.tls.key_file", e.TLS.KeyFile)
	switch {
	case e.TLS.CertFile != "" && e.TLS.KeyFile == "":
		p.add("elasticsearch.tls.key_file", "required when tls.cert_file is set")
	case e.TLS.KeyFile != "" && e.TLS.CertFile == "":
		p.add("elasticsearch.tls.cert_file", "required when tls.key_file is set")
	}
	if e.CAFingerprint != "" {
		if _, err := CAFingerprintBytes(e.CAFingerprint); err != nil {
			p.add("elasticsearch.ca_fingerprint", "%v", err)
		} else if e.TLS.CAFile != "" {
			p.add("elasticsearch.ca_fingerprint", "set either tls.ca_file or ca_fingerprint, not both")
		}
	}
}

// CAFingerprintBytes decodes a SHA-256 fingerprint written as 64 hex
// digits, colons between the bytes allowed (as openssl prints it).
func CAFingerprintBytes(s string) ([]byte, error) {
	h := strings.ReplaceAll(strings.TrimSpace(s), ":", "")
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != sha256.Size {
		return nil, fmt.Errorf("%q is not a SHA-256 fingerprint (64 hex digits, colons allowed)", s)
	}
	return b, nil
}

// CheckReplicas accepts Elasticsearch's replica settings: a number of
// replicas ("1") or an auto-expand range ("0-1", "0-all").
func CheckReplicas(s string) error {
	bad := fmt.Errorf("%q is not a number of replicas (like 1) or a range (like 0-1 or 0-all)", s)
	lo, hi, isRange := strings.Cut(s, "-")
	n, err := strconv.Atoi(lo)
	if err != nil || n < 0 || n > maxESShards {
		return bad
	}
	if !isRange || hi == "all" {
		return nil
	}
	if m, err := strconv.Atoi(hi); err != nil || m < n || m > maxESShards {
		return bad
	}
	return nil
}

// checkReadable reports a file named by key that cannot be opened. The
// path is printed, never the contents.
func checkReadable(p *problems, key, path string) {
	if path == "" {
		return
	}
	f, err := os.Open(path)
	if err != nil {
		p.add(key, "cannot read %s: %v", path, errors.Unwrap(err))
		return
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		p.add(key, "%s is a directory, want a file", path)
	}
}

// validate checks the revisit schedule: every interval positive, the
// ages in order.
func (r Revisit) validate(p *problems, positive func(string, Duration), atLeastOne func(string, int)) {
	positive("crawl.revisit.young_for", r.YoungFor)
	positive("crawl.revisit.fresh_for", r.FreshFor)
	positive("crawl.revisit.fresh_every", r.FreshEvery)
	positive("crawl.revisit.recent_for", r.RecentFor)
	positive("crawl.revisit.recent_every", r.RecentEvery)
	positive("crawl.revisit.old_every", r.OldEvery)
	positive("crawl.revisit.offtopic_every", r.OffTopicEvery)
	positive("crawl.revisit.forget_after", r.ForgetAfter)
	atLeastOne("crawl.revisit.max_backoff", r.MaxBackoff)
	if r.MaxPerPass < 0 {
		p.add("crawl.revisit.max_per_pass", "must not be negative (0 means half of crawl.max_pages)")
	}
	if r.YoungFor > r.FreshFor || r.FreshFor > r.RecentFor {
		p.add("crawl.revisit.fresh_for", "want young_for <= fresh_for <= recent_for, got %s, %s, %s", r.YoungFor, r.FreshFor, r.RecentFor)
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
	if c.MaxParses < 0 {
		p.add("crawl.max_parses", "must not be negative (0 means one per CPU)")
	}
	if c.MemoryBudget <= 0 {
		p.add("crawl.memory_budget", "must be a positive number of bytes")
	}
	atLeastOne("crawl.max_sitemaps", c.MaxSitemaps)
	if c.ArchiveMaxBytes < 1<<20 {
		p.add("crawl.archive_max_bytes", "must be at least 1048576 (1 MiB), got %d", c.ArchiveMaxBytes)
	}
	if c.Retries < 0 {
		p.add("crawl.retries", "must not be negative")
	}
	atLeastOne("crawl.max_redirects", c.MaxRedirects)
	positive("crawl.sitemap_max_age", c.SitemapMaxAge)
	c.Revisit.validate(p, positive, atLeastOne)
	positive("crawl.dead_link_ttl", c.DeadLinkTTL)
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
			return fmt.Errorf("%q is not a NATS URL (write nats://host:4222; separate several with commas)", redactURL(u, true))
		}
	}
	return nil
}

// CheckLogFormat accepts the log formats newsdesk writes.
func CheckLogFormat(s string) error {
	if s != "text" && s != "json" {
		return fmt.Errorf("%q is not text or json", s)
	}
	return nil
}

// CheckLogLevel accepts the slog level names (and offsets like "info+2").
func CheckLogLevel(s string) error {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return fmt.Errorf("%q is not debug, info, warn or error", s)
	}
	return nil
}

// minAPIKeyLen is the shortest API key accepted: a guessable key is no key.
const minAPIKeyLen = 16

// checkHTTPURL accepts an absolute http or https URL with a host.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", redactURL(s, false))
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
	if strings.Contains(strings.ToUpper(s), UserAgentPlaceholder) {
		return fmt.Errorf("%q is the deploy files' placeholder: name yourself and a contact (URL or email) publishers can reach, or set %s", s, EnvUserAgent)
	}
	return nil
}

// UserAgentPlaceholder marks the User-Agent of the files in deploy/: a
// deployment refuses to start until it names whoever runs it.
const UserAgentPlaceholder = "CHANGE-ME"

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
