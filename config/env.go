package config

import (
	"errors"
	"fmt"
	"strings"
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
