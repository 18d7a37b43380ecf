package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The environment variables FromEnv reads. They cover what differs between
// deployments of one config file (addresses, credentials) so that secrets
// need not be written into it.
const (
	EnvDataDir     = "NEWSDESK_DATA_DIR"
	EnvNATSURL     = "NEWSDESK_NATS_URL"
	EnvNATSCreds   = "NEWSDESK_NATS_CREDS"
	EnvESURL       = "NEWSDESK_ES_URL" // comma-separated
	EnvESUsername  = "NEWSDESK_ES_USERNAME"
	EnvESPassword  = "NEWSDESK_ES_PASSWORD"
	EnvESAPIKey    = "NEWSDESK_ES_API_KEY"
	EnvHTTPAddr    = "NEWSDESK_HTTP_ADDR"
	EnvMetricsAddr = "NEWSDESK_METRICS_ADDR"
	EnvAPIKeys     = "NEWSDESK_API_KEYS" // comma-separated
	EnvUserAgent   = "NEWSDESK_USER_AGENT"
	EnvLogFormat   = "NEWSDESK_LOG_FORMAT" // log.format
	EnvLogLevel    = "NEWSDESK_LOG_LEVEL"  // log.level

	// The stream limits that differ between environments of one config:
	// a single-node staging server takes 1 replica and a small disk, the
	// production cluster 3 replicas and its own retention.
	EnvNATSReplicas = "NEWSDESK_NATS_REPLICAS"  // nats.replicas
	EnvNATSMaxBytes = "NEWSDESK_NATS_MAX_BYTES" // nats.max_bytes, in bytes
	EnvNATSMaxAge   = "NEWSDESK_NATS_MAX_AGE"   // nats.max_age, a duration like 720h

	// NATS credentials and TLS (nats.nkey_file, nats.user, nats.tls.*).
	// Prefer the *_FILE variables to a secret in the environment.
	EnvNATSNkeyFile     = "NEWSDESK_NATS_NKEY_FILE"
	EnvNATSUser         = "NEWSDESK_NATS_USER"
	EnvNATSPassword     = "NEWSDESK_NATS_PASSWORD"
	EnvNATSPasswordFile = "NEWSDESK_NATS_PASSWORD_FILE"
	EnvNATSToken        = "NEWSDESK_NATS_TOKEN"
	EnvNATSTokenFile    = "NEWSDESK_NATS_TOKEN_FILE"
	EnvNATSTLSCAFile    = "NEWSDESK_NATS_TLS_CA_FILE"
	EnvNATSTLSCertFile  = "NEWSDESK_NATS_TLS_CERT_FILE"
	EnvNATSTLSKeyFile   = "NEWSDESK_NATS_TLS_KEY_FILE"

	// Files holding the Elasticsearch password or API key (mounted
	// secrets), and how to verify a cluster with its own CA.
	EnvESPasswordFile  = "NEWSDESK_ES_PASSWORD_FILE"
	EnvESAPIKeyFile    = "NEWSDESK_ES_API_KEY_FILE"
	EnvESCAFile        = "NEWSDESK_ES_CA_FILE"
	EnvESCAFingerprint = "NEWSDESK_ES_CA_FINGERPRINT"
)

// FromEnv overrides c with the NEWSDESK_* variables that getenv returns
// non-empty (an empty variable counts as unset, so the environment cannot
// clear a key). It checks the shape of each value it reads and returns every
// bad one joined, each naming its variable:
// `NEWSDESK_NATS_URL: "not a url" is not a NATS URL (...)`. Values the
// environment did not set are left to Validate.
func FromEnv(c *Config, getenv func(string) string) error {
	var errs []error
	bad := func(name string, err error) { errs = append(errs, fmt.Errorf("%s: %w", name, err)) }
	trimmed := func(name string) string { return strings.TrimSpace(getenv(name)) }

	if v := trimmed(EnvDataDir); v != "" {
		c.DataDir = v
	}
	if v := trimmed(EnvNATSURL); v != "" {
		if err := checkNATSURL(v); err != nil {
			bad(EnvNATSURL, err)
		} else {
			c.NATS.URL = v
		}
	}
	if v := trimmed(EnvNATSCreds); v != "" {
		c.NATS.CredsFile = v
	}
	natsAuthFromEnv(&c.NATS, getenv, trimmed, bad)
	if v := trimmed(EnvNATSReplicas); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 5 {
			bad(EnvNATSReplicas, fmt.Errorf("%q is not a number of replicas from 1 to 5", v))
		} else {
			c.NATS.Replicas = n
		}
	}
	if v := trimmed(EnvNATSMaxBytes); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 0 {
			bad(EnvNATSMaxBytes, fmt.Errorf("%q is not a size in bytes (0 for no cap)", v))
		} else {
			c.NATS.MaxBytes = n
		}
	}
	if v := trimmed(EnvNATSMaxAge); v != "" {
		if d, err := time.ParseDuration(v); err != nil {
			bad(EnvNATSMaxAge, fmt.Errorf("%q is not a duration (write e.g. 720h; 0 keeps events forever)", v))
		} else {
			c.NATS.MaxAge = Duration(d)
		}
	}
	if v := trimmed(EnvESURL); v != "" {
		var urls []string
		for u := range strings.SplitSeq(v, ",") {
			if u = strings.TrimSpace(u); u == "" {
				continue
			}
			if err := checkHTTPURL(u); err != nil {
				bad(EnvESURL, err)
				continue
			}
			urls = append(urls, u)
		}
		c.Elasticsearch.URLs = urls
	}
	// Credentials are taken verbatim: spaces may be part of a password.
	if v := getenv(EnvESUsername); v != "" {
		c.Elasticsearch.Username = v
	}
	if v := getenv(EnvESPassword); v != "" {
		c.Elasticsearch.Password = v
	}
	if v := getenv(EnvESAPIKey); v != "" {
		c.Elasticsearch.APIKey = v
	}
	esSecretFilesFromEnv(&c.Elasticsearch, trimmed, bad)
	if v := trimmed(EnvAPIKeys); v != "" {
		var keys []string
		for k := range strings.SplitSeq(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				keys = append(keys, k)
			}
		}
		c.HTTP.APIKeys = keys
	}
	if v := trimmed(EnvHTTPAddr); v != "" {
		if err := checkHostPort(v); err != nil {
			bad(EnvHTTPAddr, err)
		} else {
			c.HTTP.Addr = v
		}
	}
	if v := trimmed(EnvLogFormat); v != "" {
		if err := CheckLogFormat(v); err != nil {
			bad(EnvLogFormat, err)
		} else {
			c.Log.Format = v
		}
	}
	if v := trimmed(EnvLogLevel); v != "" {
		if err := CheckLogLevel(v); err != nil {
			bad(EnvLogLevel, err)
		} else {
			c.Log.Level = v
		}
	}
	if v := trimmed(EnvMetricsAddr); v != "" {
		if err := checkHostPort(v); err != nil {
			bad(EnvMetricsAddr, err)
		} else {
			c.Metrics.Addr = v
		}
	}
	if v := trimmed(EnvUserAgent); v != "" {
		if err := checkUserAgent(v); err != nil {
			bad(EnvUserAgent, err)
		} else {
			c.Crawl.UserAgent = v
		}
	}
	return errors.Join(errs...)
}

// esSecretFilesFromEnv reads the Elasticsearch secret files and CA settings
// from the environment. A secret given there replaces the other form of the
// same secret in the file (a password_file in the environment wins over a
// password in the file), so that one deployment can switch to mounted
// secrets without editing the shared config.
func esSecretFilesFromEnv(e *Elasticsearch, trimmed func(string) string, bad func(string, error)) {
	inline := func(name string) bool { return trimmed(name) != "" }
	if v := trimmed(EnvESPasswordFile); v != "" {
		if inline(EnvESPassword) {
			bad(EnvESPasswordFile, fmt.Errorf("set either %s or %s, not both", EnvESPassword, EnvESPasswordFile))
		} else {
			e.PasswordFile, e.Password = v, ""
		}
	}
	if v := trimmed(EnvESAPIKeyFile); v != "" {
		if inline(EnvESAPIKey) {
			bad(EnvESAPIKeyFile, fmt.Errorf("set either %s or %s, not both", EnvESAPIKey, EnvESAPIKeyFile))
		} else {
			e.APIKeyFile, e.APIKey = v, ""
		}
	}
	if inline(EnvESPassword) {
		e.PasswordFile = ""
	}
	if inline(EnvESAPIKey) {
		e.APIKeyFile = ""
	}
	if v := trimmed(EnvESCAFile); v != "" {
		e.TLS.CAFile = v
	}
	if v := trimmed(EnvESCAFingerprint); v != "" {
		if _, err := CAFingerprintBytes(v); err != nil {
			bad(EnvESCAFingerprint, err)
		} else {
			e.CAFingerprint = v
		}
	}
}

// natsAuthFromEnv reads the NATS credential and TLS variables: paths
// trimmed, secrets verbatim. As for Elasticsearch, a secret given in the
// environment replaces the other form of it in the file (a password file
// there drops a password written in the file, and the other way round).
func natsAuthFromEnv(n *NATS, getenv, trimmed func(string) string, bad func(string, error)) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&n.NkeyFile, trimmed(EnvNATSNkeyFile))
	set(&n.User, getenv(EnvNATSUser))
	set(&n.TLS.CAFile, trimmed(EnvNATSTLSCAFile))
	set(&n.TLS.CertFile, trimmed(EnvNATSTLSCertFile))
	set(&n.TLS.KeyFile, trimmed(EnvNATSTLSKeyFile))
	if v := getenv(EnvNATSPassword); v != "" {
		n.Password, n.PasswordFile = v, ""
	}
	if v := trimmed(EnvNATSPasswordFile); v != "" {
		n.PasswordFile, n.Password = v, ""
	}
	if v := getenv(EnvNATSToken); v != "" {
		n.Token, n.TokenFile = v, ""
	}
	if v := trimmed(EnvNATSTokenFile); v != "" {
		n.TokenFile, n.Token = v, ""
	}
	for _, pair := range [][2]string{{EnvNATSPassword, EnvNATSPasswordFile}, {EnvNATSToken, EnvNATSTokenFile}} {
		if getenv(pair[0]) != "" && trimmed(pair[1]) != "" {
			bad(pair[1], fmt.Errorf("set either %s or %s, not both", pair[0], pair[1]))
		}
	}
}
