package main

import (
	"fmt"
	"strings"
	"testing"

	"newsdesk/internal/testenv"
)

// The TLS + creds test through the CLI: the configured nkey seed file,
// password (file or environment) and CA file get `streams apply` and
// `subscribe` onto a TLS server that admits only known users; without them
// the command exits 1 saying what to set; and no secret is in anything the
// command prints, at debug level.
func TestCommandsConnectWithConfiguredTLSAndCredentials(t *testing.T) {
	srv := testenv.SecureNATS(t)
	base := fmt.Sprintf("data_dir: %s\nnats:\n  url: %s\n  tls:\n    ca_file: %s\n", t.TempDir(), srv.URL, srv.CAFile)
	nkey := writeConfig(t, base+fmt.Sprintf("  nkey_file: %s\n", srv.NkeySeedFile))
	passwordFile := writeConfig(t, base+fmt.Sprintf("  user: %s\n  password_file: %s\n", srv.User, srv.PasswordFile))
	noCreds := writeConfig(t, base)
	// The password given in the URL too, as operators do.
	inURL := writeConfig(t, fmt.Sprintf("data_dir: %s\nnats:\n  url: %s\n  tls:\n    ca_file: %s\n", t.TempDir(),
		strings.Replace(srv.URL, "tls://", "tls://"+srv.User+":"+srv.Password+"@", 1), srv.CAFile))

	var printed []string
	check := func(what string, wantCode int, wantOut string, args ...string) {
		t.Helper()
		code, stdout, stderr := runMain(t, "", append(args, "--log-level", "debug")...)
		printed = append(printed, stdout, stderr)
		if code != wantCode || !strings.Contains(stdout+stderr, wantOut) {
			t.Errorf("%s: exit %d, want %d and %q\nstdout: %s\nstderr: %s", what, code, wantCode, wantOut, stdout, stderr)
		}
	}
	check("streams apply with the nkey seed file", exitOK, "stream NEWSDESK_ARTICLES: create", "streams", "apply", "--config", nkey)
	check("streams show with the password file", exitOK, "stream NEWSDESK_ARTICLES: replicas 1", "streams", "show", "--config", passwordFile)
	check("streams show with the password in the URL", exitOK, "stream NEWSDESK_ARTICLES: replicas 1", "streams", "show", "--config", inURL)
	t.Setenv("NEWSDESK_NATS_USER", srv.User)
	t.Setenv("NEWSDESK_NATS_PASSWORD", srv.Password)
	check("dlq list with the password in the environment", exitOK, "", "dlq", "list", "--config", noCreds)
	t.Setenv("NEWSDESK_NATS_USER", "")
	t.Setenv("NEWSDESK_NATS_PASSWORD", "")
	check("subscribe without credentials", exitFailed, "Authorization Violation (the server refused this client: check nats.creds_file",
		"subscribe", "--config", noCreds, "--count", "1")
	t.Setenv("NEWSDESK_NATS_USER", srv.User)
	t.Setenv("NEWSDESK_NATS_PASSWORD", "wrong-"+srv.Password)
	check("subscribe with a wrong password", exitFailed, "Authorization Violation",
		"subscribe", "--config", noCreds, "--count", "1")

	for _, out := range printed {
		for _, secret := range []string{srv.Password, srv.NkeySeed} {
			if strings.Contains(out, secret) {
				t.Errorf("a secret is in the output:\n%s", out)
			}
		}
	}
}
