package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes body to name in a temporary directory and returns its path.
func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const fingerprint = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"

// TestElasticsearchSecurityKeys: each bad combination of the auth, TLS,
// shard and replica keys is refused with a message naming its key.
func TestElasticsearchSecurityKeys(t *testing.T) {
	pwFile := writeFile(t, "pw", "hunter2\n")
	missing := filepath.Join(t.TempDir(), "missing.pem")
	cases := []struct {
		name string
		edit func(e *Elasticsearch)
		want string // "" means valid
	}{
		{"password file", func(e *Elasticsearch) { e.Username, e.PasswordFile = "elastic", pwFile }, ""},
		{"fingerprint with colons", func(e *Elasticsearch) { e.CAFingerprint = fingerprint }, ""},
		{"fingerprint bare", func(e *Elasticsearch) { e.CAFingerprint = strings.ReplaceAll(fingerprint, ":", "") }, ""},
		{"numeric replicas", func(e *Elasticsearch) { e.Shards, e.Replicas = 3, "2" }, ""},
		{"all replicas", func(e *Elasticsearch) { e.Replicas = "0-all" }, ""},
		{"password and file", func(e *Elasticsearch) { e.Username, e.Password, e.PasswordFile = "elastic", "pw", pwFile },
			"elasticsearch.password_file: set either password or password_file, not both"},
		{"api key and basic", func(e *Elasticsearch) { e.Username, e.PasswordFile, e.APIKeyFile = "elastic", pwFile, pwFile },
			"elasticsearch.api_key: set either api_key or username and password"},
		{"file without user", func(e *Elasticsearch) { e.PasswordFile = pwFile }, "elasticsearch.username: required"},
		{"unreadable password file", func(e *Elasticsearch) { e.Username, e.PasswordFile = "elastic", missing },
			"elasticsearch.password_file: cannot read " + missing + ": no such file or directory"},
		{"unreadable CA", func(e *Elasticsearch) { e.TLS.CAFile = missing }, "elasticsearch.tls.ca_file: cannot read"},
		{"directory as key", func(e *Elasticsearch) { e.TLS.CertFile, e.TLS.KeyFile = pwFile, filepath.Dir(pwFile) },
			"elasticsearch.tls.key_file: " + filepath.Dir(pwFile) + " is a directory"},
		{"cert without key", func(e *Elasticsearch) { e.TLS.CertFile = pwFile }, "elasticsearch.tls.key_file: required when tls.cert_file is set"},
		{"key without cert", func(e *Elasticsearch) { e.TLS.KeyFile = pwFile }, "elasticsearch.tls.cert_file: required when tls.key_file is set"},
		{"short fingerprint", func(e *Elasticsearch) { e.CAFingerprint = "ABCD" }, `elasticsearch.ca_fingerprint: "ABCD" is not a SHA-256 fingerprint`},
		{"fingerprint and CA", func(e *Elasticsearch) { e.CAFingerprint, e.TLS.CAFile = fingerprint, pwFile },
			"elasticsearch.ca_fingerprint: set either tls.ca_file or ca_fingerprint, not both"},
		{"no shards", func(e *Elasticsearch) { e.Shards = 0 }, "elasticsearch.shards: must be between 1 and 1024, got 0"},
		{"too many shards", func(e *Elasticsearch) { e.Shards = 5000 }, "elasticsearch.shards: must be between 1 and 1024, got 5000"},
		{"word replicas", func(e *Elasticsearch) { e.Replicas = "one" }, `elasticsearch.replicas: "one" is not a number of replicas`},
		{"reversed range", func(e *Elasticsearch) { e.Replicas = "2-1" }, `elasticsearch.replicas: "2-1" is not`},
		{"negative replicas", func(e *Elasticsearch) { e.Replicas = "-1" }, `elasticsearch.replicas: "-1" is not`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.edit(&c.Elasticsearch)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Validate = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestSecretsNeverInErrors: config values and environment variables that
// are wrong and hold a secret are refused without the secret in the error.
func TestSecretsNeverInErrors(t *testing.T) {
	const secret = "hunter2"
	files := []struct {
		name string
		edit func(c *Config)
	}{
		{"es url without scheme", func(c *Config) { c.Elasticsearch.URLs = []string{"elastic:hunter2@es-0:9200"} }},
		{"es url bad scheme", func(c *Config) { c.Elasticsearch.URLs = []string{"ftp://elastic:hunter2@es-0/"} }},
		{"es url opaque", func(c *Config) { c.Elasticsearch.URLs = []string{"es:hunter2@es-1"} }},
		{"es url no host", func(c *Config) { c.Elasticsearch.URLs = []string{"https://elastic:hunter2@"} }},
		{"es url bad port", func(c *Config) { c.Elasticsearch.URLs = []string{"https://elastic:hunter2@es:port/"} }},
		{"nats token url", func(c *Config) { c.NATS.URL = "http://hunter2@n1:4222" }},
		{"nats password url", func(c *Config) { c.NATS.URL = "nats://n0:4222,nats://u:hunter2@:4222" }},
		{"seed with password", func(c *Config) { c.Sources[0].Seeds = []string{"gopher://u:hunter2@site/"} }},
		{"password without user", func(c *Config) { c.Elasticsearch.Password = secret }},
		{"password with api key", func(c *Config) {
			c.Elasticsearch.Username, c.Elasticsearch.Password, c.Elasticsearch.APIKey = "u", secret, secret
		}},
		{"api key and file", func(c *Config) { c.Elasticsearch.APIKey, c.Elasticsearch.APIKeyFile = secret, "/nonexistent" }},
		{"short http api key", func(c *Config) { c.HTTP.APIKeys = []string{secret} }},
	}
	for _, tc := range files {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.edit(c)
			err := c.Validate()
			if err == nil {
				t.Fatal("Validate succeeded")
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error holds the secret:\n%v", err)
			}
		})
	}
	envs := []map[string]string{
		{EnvESURL: "https://es-0:9200,elastic:hunter2@es-1:9200"},
		{EnvESURL: "ftp://elastic:hunter2@es-0:9200"},
		{EnvNATSURL: "http://u:hunter2@n1:4222"},
		{EnvNATSURL: "hunter2@n1:4222"},
		{EnvESPassword: secret, EnvESPasswordFile: "/run/secrets/es"},
		{EnvESAPIKey: secret, EnvESAPIKeyFile: "/run/secrets/key"},
	}
	for _, m := range envs {
		err := FromEnv(Default(), env(m))
		if err == nil {
			t.Errorf("FromEnv(%v) succeeded", m)
		} else if strings.Contains(err.Error(), secret) {
			t.Errorf("FromEnv error holds the secret:\n%v", err)
		}
	}
}

// TestElasticsearchFromEnv: the file and CA variables set their keys, and a
// secret file in the environment replaces the inline secret of the file.
func TestElasticsearchFromEnv(t *testing.T) {
	c := Default()
	c.Elasticsearch.Username, c.Elasticsearch.Password = "elastic", "from-the-file"
	err := FromEnv(c, env(map[string]string{
		EnvESPasswordFile:  "/run/secrets/es-password",
		EnvESCAFile:        "/etc/newsdesk/es-ca.pem",
		EnvESCAFingerprint: fingerprint,
	}))
	if err != nil {
		t.Fatal(err)
	}
	e := c.Elasticsearch
	if e.PasswordFile != "/run/secrets/es-password" || e.Password != "" || e.TLS.CAFile != "/etc/newsdesk/es-ca.pem" || e.CAFingerprint != fingerprint {
		t.Errorf("got %+v", e)
	}
	if err := FromEnv(Default(), env(map[string]string{EnvESCAFingerprint: "nope"})); err == nil ||
		!strings.Contains(err.Error(), EnvESCAFingerprint+`: "nope" is not a SHA-256 fingerprint`) {
		t.Errorf("bad fingerprint: %v", err)
	}
}

// TestCredentialsReadSecretFiles: the secret files are read without their
// trailing newline; an empty or missing one names its key, not its content.
func TestCredentialsReadSecretFiles(t *testing.T) {
	e := Default().Elasticsearch
	e.Username = "elastic"
	e.PasswordFile = writeFile(t, "pw", "pass word\r\n")
	e.TLS.CAFile = writeFile(t, "ca.pem", "-----BEGIN CERTIFICATE-----\n")
	creds, err := e.Credentials()
	if err != nil {
		t.Fatal(err)
	}
	if creds.Password != "pass word" || creds.Username != "elastic" || string(creds.CACert) != "-----BEGIN CERTIFICATE-----\n" {
		t.Errorf("got %+v", creds)
	}
	e.PasswordFile = writeFile(t, "empty", "\n")
	if _, err := e.Credentials(); err == nil || !strings.Contains(err.Error(), "elasticsearch.password_file: "+e.PasswordFile+" is empty") {
		t.Errorf("empty file: %v", err)
	}
	e.PasswordFile = ""
	e.APIKeyFile = filepath.Join(t.TempDir(), "none")
	if _, err := e.Credentials(); err == nil || !strings.Contains(err.Error(), "elasticsearch.api_key_file: ") {
		t.Errorf("missing file: %v", err)
	}
}

// TestRedactedKeepsSecretFilePaths: the new keys are paths and public
// values, kept so the log shows where secrets come from; NATS secrets go.
func TestRedactedKeepsSecretFilePaths(t *testing.T) {
	c := Default()
	c.Elasticsearch.PasswordFile, c.Elasticsearch.CAFingerprint = "/run/secrets/es", fingerprint
	c.NATS.Password, c.NATS.Token = "hunter2", "hunter3"
	r := c.Redacted()
	if r.Elasticsearch.PasswordFile != "/run/secrets/es" || r.Elasticsearch.CAFingerprint != fingerprint {
		t.Errorf("paths changed: %+v", r.Elasticsearch)
	}
	if s := marshal(t, r); strings.Contains(s, "hunter") {
		t.Errorf("redacted config holds a NATS secret:\n%s", s)
	}
}
