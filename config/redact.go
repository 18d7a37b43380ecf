package config

import (
	"net/url"
	"strings"
)

// redacted replaces secrets in Redacted's copy.
const redacted = "***"

// Redacted returns a deep copy of c that is safe to log: the Elasticsearch
// password and API key and the NATS password and token become "***", and so do passwords inside URLs
// (https://user:pw@host) and NATS tokens (nats://token@host). Empty secrets
// stay empty, so the log still shows which auth is configured.
func (c *Config) Redacted() *Config {
	r := *c
	r.NATS.URL = redactNATSURLs(c.NATS.URL)
	if c.Elasticsearch.URLs != nil {
		r.Elasticsearch.URLs = make([]string, len(c.Elasticsearch.URLs))
		for i, u := range c.Elasticsearch.URLs {
			r.Elasticsearch.URLs[i] = redactURL(u, false)
		}
	}
	if r.Elasticsearch.Password != "" {
		r.Elasticsearch.Password = redacted
	}
	if r.Elasticsearch.APIKey != "" {
		r.Elasticsearch.APIKey = redacted
	}
	// The *_file keys, the TLS files and the CA fingerprint are paths and
	// public values: they stay, so the log shows where secrets come from.
	if r.NATS.Password != "" {
		r.NATS.Password = redacted
	}
	if r.NATS.Token != "" {
		r.NATS.Token = redacted
	}
	if len(c.HTTP.APIKeys) > 0 {
		r.HTTP.APIKeys = make([]string, len(c.HTTP.APIKeys))
		for i := range r.HTTP.APIKeys {
			r.HTTP.APIKeys[i] = redacted
		}
	}
	r.Sources = cloneSources(c.Sources)
	return &r
}

func redactNATSURLs(s string) string {
	if s == "" {
		return s
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = redactURL(strings.TrimSpace(p), true)
	}
	return strings.Join(parts, ",")
}

// redactURL hides the password in u's user info. With userIsSecret a bare
// user name is hidden too: NATS reads nats://token@host as a token.
func redactURL(raw string, userIsSecret bool) string {
	u, err := url.Parse(raw)
	if err != nil {
		if strings.Contains(raw, "@") {
			return redacted // unparseable, and may hold credentials
		}
		return raw
	}
	if u.User == nil {
		if (u.Opaque != "" || u.Host == "") && strings.Contains(raw, "@") {
			// Not a URL with a host (es:pw@host): what precedes @ may
			// still be credentials.
			return redacted + raw[strings.LastIndex(raw, "@"):]
		}
		return raw
	}
	name := u.User.Username()
	_, hasPassword := u.User.Password()
	switch {
	case hasPassword:
		// url.UserPassword would escape "*"; write the user info by hand.
		u.User = nil
		return u.Scheme + "://" + url.User(name).String() + ":" + redacted + "@" + strings.TrimPrefix(u.String(), u.Scheme+"://")
	case userIsSecret:
		u.User = nil
		return u.Scheme + "://" + redacted + "@" + strings.TrimPrefix(u.String(), u.Scheme+"://")
	}
	return raw
}
