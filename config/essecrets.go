package config

import (
	"fmt"
	"os"
	"strings"
)

// ESCredentials are the secrets and TLS material of Elasticsearch, with
// the *_file keys read: what the client is given.
type ESCredentials struct {
	Username, Password, APIKey string
	// CACert, ClientCert and ClientKey are PEM; empty when not configured.
	CACert, ClientCert, ClientKey []byte
}

// Credentials reads password_file, api_key_file and the TLS files. A secret
// file's trailing newline (as `echo` or an editor writes it) is dropped.
// Errors name the key and the path, never what the file holds.
func (e *Elasticsearch) Credentials() (ESCredentials, error) {
	c := ESCredentials{Username: e.Username, Password: e.Password, APIKey: e.APIKey}
	var err error
	if e.PasswordFile != "" {
		if c.Password, err = readSecret("elasticsearch.password_file", e.PasswordFile); err != nil {
			return c, err
		}
	}
	if e.APIKeyFile != "" {
		if c.APIKey, err = readSecret("elasticsearch.api_key_file", e.APIKeyFile); err != nil {
			return c, err
		}
	}
	for _, f := range []struct {
		key, path string
		into      *[]byte
	}{
		{"elasticsearch.tls.ca_file", e.TLS.CAFile, &c.CACert},
		{"elasticsearch.tls.cert_file", e.TLS.CertFile, &c.ClientCert},
		{"elasticsearch.tls.key_file", e.TLS.KeyFile, &c.ClientKey},
	} {
		if f.path == "" {
			continue
		}
		if *f.into, err = os.ReadFile(f.path); err != nil {
			return c, fmt.Errorf("%s: %w", f.key, err)
		}
	}
	return c, nil
}

// readSecret reads a one-line secret from path.
func readSecret(key, path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", key, err)
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", fmt.Errorf("%s: %s is empty", key, path)
	}
	return s, nil
}
