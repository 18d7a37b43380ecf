// Package config loads newsdesk's configuration in four layers, as
// Prometheus does: built-in defaults, then a strict YAML file (unknown keys
// are errors), then NEWSDESK_* environment variables, then validation whose
// errors name the file and the key.
//
// Only cmd/newsdesk reads a Config; it maps the parts each stage needs into
// that stage's own options struct, so no stage depends on this package.
package config

// Config is the whole of newsdesk's configuration. The zero value is not
// useful: start from Default or Load.
type Config struct {
	// DataDir holds the embedded NATS server's JetStream store and the
	// embedded index. Env NEWSDESK_DATA_DIR.
	DataDir       string        `yaml:"data_dir"`
	NATS          NATS          `yaml:"nats"`
	Elasticsearch Elasticsearch `yaml:"elasticsearch"`
	HTTP          HTTP          `yaml:"http"`
	Metrics       Metrics       `yaml:"metrics"`
	Log           Log           `yaml:"log"`
	Crawl         Crawl         `yaml:"crawl"`
	Topics        Topics        `yaml:"topics"`
	// Sources are the publishers to crawl. A file that leaves the key out
	// keeps the example sources; `sources: []` crawls nothing.
	Sources []Source `yaml:"sources"`
	// Watches are the alert watchlists. A file that leaves the key out
	// keeps the example watch; `watches: []` alerts on nothing.
	Watches []Watch `yaml:"watches"`
}

// NATS says where article events go. An empty URL means one machine: newsdesk
// starts an embedded server with JetStream under DataDir.
type NATS struct {
	// URL is one NATS URL or several separated by commas (a cluster), e.g.
	// nats://nats:4222. Empty starts the embedded server. Env NEWSDESK_NATS_URL.
	URL string `yaml:"url"`
	// Stream is the JetStream stream that captures news.ArticleSubjects.
	Stream string `yaml:"stream"`
	// Replicas is how many servers store each message: 1 on one machine, 3
	// in a production cluster.
	Replicas int `yaml:"replicas"`
	// MaxAge is how long events are kept, and so how far back a new indexer
	// can replay; 0 keeps them forever.
	MaxAge Duration `yaml:"max_age"`
	// DuplicateWindow is how long JetStream remembers event ids (Nats-Msg-Id)
	// to drop a republished event: long enough to cover a publisher's
	// retries, short because ids derive from content (see events.Options).
	DuplicateWindow Duration `yaml:"duplicate_window"`
	// Storage is file (survives restarts) or memory, for every stream.
	Storage string `yaml:"storage"`
	// MaxBytes caps each stream's size (oldest events go first); 0 means
	// no cap beyond MaxAge.
	MaxBytes int64 `yaml:"max_bytes"`
	// AlertStream stores alert events (newsdesk.alert.>).
	AlertStream string `yaml:"alert_stream"`
	// DLQStream stores dead letters (newsdesk.dlq.>).
	DLQStream string `yaml:"dlq_stream"`
	// MaxDeliver is how often a consumer is given one event before it is
	// dead-lettered; -1 retries forever.
	MaxDeliver int `yaml:"max_deliver"`
	// Embedded is where the embedded server listens when URL is empty.
	Embedded EmbeddedNATS `yaml:"embedded"`
	// CredsFile is a NATS .creds file (JWT and nkey) for a secured server.
	// Env NEWSDESK_NATS_CREDS.
	CredsFile string `yaml:"creds_file"`
	// NkeyFile is a file holding an nkey seed (SU...), for servers that
	// authenticate users by nkey. Env NEWSDESK_NATS_NKEY_FILE.
	NkeyFile string `yaml:"nkey_file"`
	// User and Password authenticate with a user name and password;
	// PasswordFile reads the password from a file instead (a mounted
	// secret). Env NEWSDESK_NATS_USER, NEWSDESK_NATS_PASSWORD,
	// NEWSDESK_NATS_PASSWORD_FILE.
	User         string `yaml:"user"`
	Password     string `yaml:"password"`
	PasswordFile string `yaml:"password_file"`
	// Token authenticates with a token; TokenFile reads it from a file.
	// Env NEWSDESK_NATS_TOKEN, NEWSDESK_NATS_TOKEN_FILE.
	Token     string `yaml:"token"`
	TokenFile string `yaml:"token_file"`
	// TLS verifies the servers with a private CA and presents a client
	// certificate when the servers ask for one.
	TLS TLS `yaml:"tls"`
	// RetryBudget is how long a publish, a lease renewal or a stream
	// operation is retried (with backoff) through a leader election or a
	// server restart before it fails.
	RetryBudget Duration `yaml:"retry_budget"`
}

// TLS names the files of a TLS client setup. Empty fields mean the system's
// roots and no client certificate.
type TLS struct {
	// CAFile is a PEM file of the CA certificates that sign the servers'.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are the PEM client certificate and its key, for
	// servers that verify clients (mutual TLS). Set both or neither.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
}

// EmbeddedNATS is the listen address of the embedded NATS server, so that
// `newsdesk run` on one machine can still be reached by other clients.
type EmbeddedNATS struct {
	Host string `yaml:"host"`
	// Port 0 means 4222, the NATS default; -1 picks a free port (tests).
	Port int `yaml:"port"`
	// MonitorPort serves the server's monitoring endpoints (/varz, /jsz)
	// on Host; 0 (the default) serves none.
	MonitorPort int `yaml:"monitor_port"`
}

// Elasticsearch says where articles are indexed. No URLs means the embedded
// index under DataDir.
type Elasticsearch struct {
	// URLs are the cluster's nodes. Env NEWSDESK_ES_URL (comma-separated).
	URLs []string `yaml:"urls"`
	// Username and Password are basic-auth credentials. Env
	// NEWSDESK_ES_USERNAME, NEWSDESK_ES_PASSWORD.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// APIKey is the base64 "id:key" API key, an alternative to basic auth.
	// Env NEWSDESK_ES_API_KEY.
	APIKey string `yaml:"api_key"`
	// PasswordFile and APIKeyFile read the password or the API key from a
	// file (a mounted secret) instead. Env NEWSDESK_ES_PASSWORD_FILE,
	// NEWSDESK_ES_API_KEY_FILE.
	PasswordFile string `yaml:"password_file"`
	APIKeyFile   string `yaml:"api_key_file"`
	// TLS verifies the cluster with a private CA (and may present a client
	// certificate). Env NEWSDESK_ES_CA_FILE for tls.ca_file.
	TLS TLS `yaml:"tls"`
	// CAFingerprint is the SHA-256 fingerprint of the cluster's CA
	// certificate (hex, colons allowed), the alternative Elasticsearch
	// prints at first start. Env NEWSDESK_ES_CA_FINGERPRINT.
	CAFingerprint string `yaml:"ca_fingerprint"`
	// Shards is the number of primary shards of a new index.
	Shards int `yaml:"shards"`
	// Replicas is the number of replicas of each shard of a new index:
	// a number ("1") or an auto-expand range ("0-1", "0-all").
	Replicas string `yaml:"replicas"`
	// Index is the alias the indexer writes through and the API reads, so a
	// reindex can swap the index behind it.
	Index string `yaml:"index"`
	// Analyzer is the text analyzer for title and body: "standard" works on
	// any cluster; "english" (stemming, stop words) is better in production.
	Analyzer string `yaml:"analyzer"`
	// RefreshInterval is how soon an indexed article is searchable: the
	// indexer refreshes at most this often, not after every batch, which
	// would cost Elasticsearch more than the writes.
	RefreshInterval Duration `yaml:"refresh_interval"`
}

// Metrics configures the listener of the commands without an HTTP server
// of their own (`index`, `crawl --every`); `run` and `serve` expose
// /metrics on http.addr.
type Metrics struct {
	// Addr, host:port, serves /metrics, /healthz and /readyz; empty (the
	// default) serves nothing. The --metrics-addr flag wins over it.
	Addr string `yaml:"addr"`
}

// HTTP configures the search API.
type HTTP struct {
	// Addr is the listen address, host:port. Env NEWSDESK_HTTP_ADDR.
	Addr string `yaml:"addr"`
	// APIKeys, when set, are required on /api/* (Authorization: Bearer KEY
	// or X-API-Key); the page and /healthz stay open. Env NEWSDESK_API_KEYS
	// (comma-separated).
	APIKeys []string `yaml:"api_keys"`
	// MaxConcurrent bounds the searches (API and page) served at once; one
	// more is refused at once with 503 and Retry-After, so an overload
	// sheds requests instead of timing out every one of them.
	MaxConcurrent int `yaml:"max_concurrent"`
	// AccessLog logs one line per HTTP request (method, path, status,
	// duration) at info level; off by default.
	AccessLog bool `yaml:"access_log"`
}

// Log configures the logs on stderr. The --log-format and --log-level flags
// win over it. Env NEWSDESK_LOG_FORMAT, NEWSDESK_LOG_LEVEL.
type Log struct {
	// Format is text (the default) or json.
	Format string `yaml:"format"`
	// Level is debug, info (the default), warn or error.
	Level string `yaml:"level"`
}

// Crawl holds the politeness and budget settings shared by every source.
type Crawl struct {
	// UserAgent names newsdesk to publishers, with a URL to learn more.
	// Env NEWSDESK_USER_AGENT.
	UserAgent string `yaml:"user_agent"`
	// Interval is how often `newsdesk run` starts a crawl pass.
	Interval Duration `yaml:"interval"`
	// Parallelism is the number of concurrent requests per domain.
	Parallelism int `yaml:"parallelism"`
	// Delay is the minimum pause between requests to one domain; a longer
	// robots.txt Crawl-delay or Retry-After wins.
	Delay Duration `yaml:"delay"`
	// Timeout bounds one request, body included.
	Timeout Duration `yaml:"timeout"`
	// MaxPages caps the pages fetched in one pass over all sources.
	MaxPages int `yaml:"max_pages"`
	// MaxBodyBytes caps one response body once decoded (gzip, deflate,
	// gzipped sitemaps); a longer one is an error, counted as toolarge=.
	MaxBodyBytes int `yaml:"max_body_bytes"`
	// MaxParses bounds the pages, feeds and sitemaps parsed at once; 0
	// means one per CPU (GOMAXPROCS).
	MaxParses int `yaml:"max_parses"`
	// MemoryBudget is what one pass may hold in response bodies and
	// parses, in bytes; pages wait for room rather than exceed it.
	MemoryBudget int64 `yaml:"memory_budget"`
	// MaxSitemaps bounds the child sitemaps of sitemap indexes one pass
	// visits.
	MaxSitemaps int `yaml:"max_sitemaps"`
	// Archive is a directory: when set, every page the crawler fetches is
	// written there as WARC (request and response records, gzip per
	// record), for `newsdesk reparse` and for anyone's tools.
	Archive string `yaml:"archive"`
	// ArchiveMaxBytes is the size at which a WARC file is closed and the
	// next started.
	ArchiveMaxBytes int64 `yaml:"archive_max_bytes"`
	// IgnoreRobots disables robots.txt. Leave it false for anything but
	// your own test sites.
	IgnoreRobots bool `yaml:"ignore_robots"`
	// Schedule is a cron expression ("*/15 * * * *", "@hourly") for the
	// crawls of `newsdesk run`; it wins over Interval.
	Schedule string `yaml:"schedule"`
	// Retries is how often a network error, a 5xx or a 429 is retried
	// (exponential backoff with jitter, or the server's Retry-After).
	Retries int `yaml:"retries"`
	// MaxRedirects is how many redirects one request follows.
	MaxRedirects int `yaml:"max_redirects"`
	// SitemapMaxAge: sitemap entries dated earlier are not followed.
	SitemapMaxAge Duration `yaml:"sitemap_max_age"`
	// Revisit is when known articles are fetched again, conditionally,
	// whether or not a link still leads to them.
	Revisit Revisit `yaml:"revisit"`
	// DeadLinkTTL is how long a 404 or 410 is remembered and not asked
	// for again.
	DeadLinkTTL Duration `yaml:"dead_link_ttl"`
	// FollowChromeLinks follows the site-chrome links (about, login,
	// careers...) of article pages, which are skipped by default.
	FollowChromeLinks bool `yaml:"follow_chrome_links"`
	// LeaseTTL is how long a crawler's lease on a source lasts unrenewed:
	// how soon another instance takes over a crashed one's sources.
	LeaseTTL Duration `yaml:"lease_ttl"`
	// TrackingParams are the query parameters removed from every URL (a
	// trailing * matches a prefix). Empty means the built-in list.
	TrackingParams []string `yaml:"tracking_params"`
	// AllowPrivateNetworks lets the crawler connect to loopback, private,
	// link-local and metadata addresses, which the SSRF guard refuses by
	// default. Only for tests and intranet sources.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
	// PrivateExceptions are the addresses the SSRF guard lets through while
	// AllowPrivateNetworks is off: IPs, CIDR prefixes or ip:port, for
	// intranet sources.
	PrivateExceptions []string `yaml:"private_exceptions"`
	// ConnectTimeout, TLSTimeout and HeaderTimeout bound the TCP connect,
	// the TLS handshake and the wait for response headers of one request.
	ConnectTimeout Duration `yaml:"connect_timeout"`
	TLSTimeout     Duration `yaml:"tls_timeout"`
	HeaderTimeout  Duration `yaml:"header_timeout"`
	// MaxDomainFailures is how many requests to one host may fail in a row
	// (after their retries) before the host is left alone for the pass.
	MaxDomainFailures int `yaml:"max_domain_failures"`
}

// Revisit is the adaptive revisit schedule of known articles (see
// crawler.RevisitPolicy): every pass while young, then every FreshEvery,
// RecentEvery and OldEvery as they age; an unchanged story backs off up to
// MaxBackoff times that, a changed one comes back at half of it.
type Revisit struct {
	YoungFor      Duration `yaml:"young_for"`
	FreshFor      Duration `yaml:"fresh_for"`
	FreshEvery    Duration `yaml:"fresh_every"`
	RecentFor     Duration `yaml:"recent_for"`
	RecentEvery   Duration `yaml:"recent_every"`
	OldEvery      Duration `yaml:"old_every"`
	OffTopicEvery Duration `yaml:"offtopic_every"`
	ForgetAfter   Duration `yaml:"forget_after"`
	MaxBackoff    int      `yaml:"max_backoff"`
	// MaxPerPass bounds the revisits of one pass; 0 means half of
	// max_pages.
	MaxPerPass int `yaml:"max_per_pass"`
}

// Topics decide which articles become events: the desk's beat.
type Topics struct {
	// Required drops articles that match no topic (counted as off-topic).
	Required bool `yaml:"required"`
	// Rules name each topic and its keywords (case-insensitive whole words
	// or phrases). Empty means the built-in tech-privacy rules.
	Rules []TopicRule `yaml:"rules"`
}

// TopicRule is one topic and the words that signal it.
type TopicRule struct {
	Name     string   `yaml:"name"`
	Keywords []string `yaml:"keywords"`
}

// Source is one publisher: where to start and which links to follow.
type Source struct {
	// Name identifies the source in events and search filters. It becomes a
	// NATS subject token, so it must satisfy news.ValidSourceName, and it
	// must be unique.
	Name string `yaml:"name"`
	// Seeds are the absolute http(s) URLs a pass starts from: section or
	// listing pages, article pages, or RSS/Atom feeds.
	Seeds []string `yaml:"seeds"`
	// Feeds are RSS, Atom or JSON feeds whose items are followed.
	Feeds []string `yaml:"feeds"`
	// Sitemaps are sitemap indexes or url sets (gzipped too, Google News
	// sitemaps too) whose recent entries are followed. A source with
	// neither feeds nor sitemaps discovers them: robots.txt Sitemap lines
	// and <link rel="alternate"> feeds of its seeds.
	Sitemaps []string `yaml:"sitemaps"`
	// AllowedDomains are the exact host names links may lead to
	// (www.example.com and example.com are different hosts); empty means
	// the seeds' hosts. When given, every seed's host must be listed.
	AllowedDomains []string `yaml:"allowed_domains"`
	// MaxDepth is how many links away from a seed the crawler goes: 1
	// fetches the pages a seed links to, 2 also the pages those link to.
	MaxDepth int `yaml:"max_depth"`
	// Include are regular expressions matched against a link's whole URL
	// (unanchored: use ^ and $). When any are given, a link is followed only
	// if it matches at least one. Seeds are exempt.
	Include []string `yaml:"include"`
	// Exclude are regular expressions; a link matching any is never
	// followed, whatever Include says. Seeds are exempt.
	Exclude []string `yaml:"exclude"`
	// Extract overrides the parser's generic rules on this source's pages,
	// for sites where they pick the wrong block.
	Extract Extract `yaml:"extract"`
}

// Extract holds CSS selectors that correct the parser on one publisher's
// pages. Leave them empty unless the generic extraction is wrong there: a
// redesign silently breaks a selector, the generic rules adapt.
type Extract struct {
	// Body selects the story's body; the first selector that matches an
	// element with text wins over the generic choice.
	Body []string `yaml:"body"`
	// Walls select the publisher's subscription wall or prompt: kept out of
	// the text and counted as a wall (signal wall:site).
	Walls []string `yaml:"walls"`
	// Drop select blocks removed before anything else looks at the page
	// (a "read more" rail the generic rules take for the story, say).
	Drop []string `yaml:"drop"`
}

// sourceFields is Source without its methods, for UnmarshalYAML.
type sourceFields Source

// UnmarshalYAML fills the per-source defaults before decoding, so a key the
// file leaves out keeps its default instead of becoming zero. (A list item
// starts from nothing, unlike the top-level keys, which Load pre-fills.)
func (s *Source) UnmarshalYAML(unmarshal func(any) error) error {
	// Decoding into a method-less type stops the recursion. It is named
	// Source so that yaml's "field x not found in type config.Source" reads
	// right; unmarshal (unlike yaml.Node.Decode) keeps the decoder's
	// KnownFields setting.
	type Source sourceFields
	v := Source{MaxDepth: DefaultMaxDepth}
	if err := unmarshal(&v); err != nil {
		return err
	}
	*(*sourceFields)(s) = sourceFields(v)
	return nil
}
