package events_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"newsdesk/events"
	"newsdesk/internal/testenv"
)

// The TLS + creds test, at the library: over TLS with a generated
// CA, an nkey user and a password user get in with their files; without
// credentials, with a wrong password or without the CA the connection is
// refused with an error that says what to set; and no secret appears in any
// log line or error.
func TestConnectWithTLSAndCredentials(t *testing.T) {
	ctx := testContext(t)
	srv := testenv.SecureNATS(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	withUserInURL := strings.Replace(srv.URL, "tls://", "tls://"+srv.User+":"+srv.Password+"@", 1)

	for _, tc := range []struct {
		name string
		url  string
		auth events.Auth
	}{
		{"nkey seed file", srv.URL, events.Auth{NkeyFile: srv.NkeySeedFile, CAFile: srv.CAFile}},
		{"password file", srv.URL, events.Auth{User: srv.User, PasswordFile: srv.PasswordFile, CAFile: srv.CAFile}},
		{"password", srv.URL, events.Auth{User: srv.User, Password: srv.Password, CAFile: srv.CAFile}},
		{"user and password in the URL", withUserInURL, events.Auth{CAFile: srv.CAFile}},
	} {
		bus, err := events.Connect(ctx, events.Options{URL: tc.url, Name: t.Name(), Auth: tc.auth, Logger: logger})
		if err != nil {
			t.Errorf("%s: Connect: %v", tc.name, err)
			continue
		}
		if err := bus.Publish(ctx, event("created", article("wired", "https://wired.example/"+tc.name, "text"))); err != nil {
			t.Errorf("%s: Publish: %v", tc.name, err)
		}
		bus.Close()
	}

	var errs []error
	for _, tc := range []struct {
		name string
		auth events.Auth
		is   error
		hint string
	}{
		{name: "no credentials", auth: events.Auth{CAFile: srv.CAFile}, is: nats.ErrAuthorization, hint: "nats.creds_file"},
		{name: "wrong password", auth: events.Auth{User: srv.User, Password: "wrong-" + srv.Password, CAFile: srv.CAFile},
			is: nats.ErrAuthorization, hint: "nats.password"},
		{name: "no CA", auth: events.Auth{NkeyFile: srv.NkeySeedFile}, hint: "nats.tls.ca_file"},
		{name: "two methods", auth: events.Auth{NkeyFile: srv.NkeySeedFile, Token: srv.Password, CAFile: srv.CAFile}, hint: "set one of"},
	} {
		_, err := events.Connect(ctx, events.Options{URL: srv.URL, Name: t.Name(), Auth: tc.auth, Logger: logger})
		switch {
		case err == nil:
			t.Errorf("%s: Connect succeeded, want a refusal", tc.name)
			continue
		case tc.is != nil && !errors.Is(err, tc.is):
			t.Errorf("%s: %v, want %v", tc.name, err, tc.is)
		case !strings.Contains(err.Error(), tc.hint) || !strings.Contains(err.Error(), "127.0.0.1"):
			t.Errorf("%s: %v, want it to name the server and say %q", tc.name, err, tc.hint)
		}
		t.Logf("%s: %v", tc.name, err)
		errs = append(errs, err)
	}

	if !strings.Contains(logs.String(), "connected to NATS") {
		t.Fatalf("no connection was logged:\n%s", logs.String())
	}
	for _, secret := range []string{srv.Password, srv.NkeySeed} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("a secret is in the logs:\n%s", logs.String())
		}
		for _, err := range errs {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("a secret is in an error: %v", err)
			}
		}
	}
}
