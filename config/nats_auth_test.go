package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFromEnvReadsNATSCredentialsAndTLS(t *testing.T) {
	env := map[string]string{
		EnvNATSUser: "crawler", EnvNATSPasswordFile: " /run/secrets/nats-pw ",
		EnvNATSTLSCAFile: "/etc/nats/ca.pem", EnvNATSTLSCertFile: "/etc/nats/client.pem", EnvNATSTLSKeyFile: "/etc/nats/client-key.pem",
	}
	c := Default()
	c.NATS.Password = "from-the-file"
	if err := FromEnv(c, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	n := c.NATS
	if n.User != "crawler" || n.PasswordFile != "/run/secrets/nats-pw" || n.Password != "" {
		t.Errorf("user %q, password_file %q, password set %v; want the environment's, the file's password dropped", n.User, n.PasswordFile, n.Password != "")
	}
	if n.TLS != (TLS{CAFile: "/etc/nats/ca.pem", CertFile: "/etc/nats/client.pem", KeyFile: "/etc/nats/client-key.pem"}) {
		t.Errorf("tls = %+v", n.TLS)
	}
	both := map[string]string{EnvNATSToken: "t0ken-value", EnvNATSTokenFile: "/run/secrets/tok"}
	err := FromEnv(Default(), func(k string) string { return both[k] })
	if err == nil || !strings.Contains(err.Error(), EnvNATSTokenFile) || strings.Contains(err.Error(), "t0ken-value") {
		t.Errorf("token and token file both set: %v, want an error naming %s without the token", err, EnvNATSTokenFile)
	}
}

func TestValidateNATSAuth(t *testing.T) {
	dir := t.TempDir()
	creds := filepath.Join(dir, "user.creds")
	if err := os.WriteFile(creds, []byte("creds"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		set  func(n *NATS)
		want string // "" means valid
	}{
		{"creds file", func(n *NATS) { n.CredsFile = creds }, ""},
		{"user and password", func(n *NATS) { n.User, n.Password = "u", "s3cret-pw" }, ""},
		{"two methods", func(n *NATS) { n.CredsFile, n.Token = creds, "s3cret-pw" }, "nats: set one way to authenticate"},
		{"missing file", func(n *NATS) { n.NkeyFile = filepath.Join(dir, "nope.nk") }, "nats.nkey_file: cannot read"},
		{"user without password", func(n *NATS) { n.User = "u" }, "nats.password: required"},
		{"password without user", func(n *NATS) { n.Password = "s3cret-pw" }, "nats.user: required"},
		{"cert without key", func(n *NATS) { n.TLS.CertFile = creds }, "nats.tls.key_file: required"},
		{"unreadable CA", func(n *NATS) { n.TLS.CAFile = filepath.Join(dir, "ca.pem") }, "nats.tls.ca_file: cannot read"},
	} {
		c := Default()
		tc.set(&c.NATS)
		err := c.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want valid", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		case err != nil && strings.Contains(err.Error(), "s3cret-pw"):
			t.Errorf("%s: the error shows the secret: %v", tc.name, err)
		}
	}
}
