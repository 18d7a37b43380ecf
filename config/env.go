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
	EnvDataDir    = "NEWSDESK_DATA_DIR"
	EnvNATSURL    = "NEWSDESK_NATS_URL"
	EnvNATSCreds  = "NEWSDESK_NATS_CREDS"
	EnvESURL      = "NEWSDESK_ES_URL" // comma-separated
	EnvESUsername = "NEWSDESK_ES_USERNAME"
	EnvESPassword = "NEWSDESK_ES_PASSWORD"
	EnvESAPIKey   = "NEWSDESK_ES_API_KEY"
	EnvHTTPAddr   = "NEWSDESK_HTTP_ADDR"
	EnvAPIKeys    = "NEWSDESK_API_KEYS" // comma-separated
	EnvUserAgent  = "NEWSDESK_USER_AGENT"

	// The stream limits that differ between environments of one config:
	// a single-node staging server takes 1 replica and a small disk, the
	// production cluster 3 replicas and its own retention.
	EnvNATSReplicas = "NEWSDESK_NATS_REPLICAS"  // nats.replicas
	EnvNATSMaxBytes = "NEWSDESK_NATS_MAX_BYTES" // nats.max_bytes, in bytes
	EnvNATSMaxAge   = "NEWSDESK_NATS_MAX_AGE"   // nats.max_age, a duration like 720h
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
	if v := trimmed(EnvUserAgent); v != "" {
		if err := checkUserAgent(v); err != nil {
			bad(EnvUserAgent, err)
		} else {
			c.Crawl.UserAgent = v
		}
	}
	return errors.Join(errs...)
}
