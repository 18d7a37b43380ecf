package events

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/nats-io/nats.go"
)

// Auth is how the client proves who it is to a secured NATS server and how
// it verifies the server. Secrets (Password, Token, the files' contents)
// never appear in a log line or an error.
type Auth struct {
	// CredsFile is a .creds file: a user JWT and its nkey seed
	// (decentralised auth with an operator and accounts).
	CredsFile string
	// NkeyFile holds an nkey user seed (SU...), for servers that list
	// users by public nkey.
	NkeyFile string
	// User with Password, or with the password read from PasswordFile (a
	// mounted secret; one trailing newline is dropped).
	User, Password, PasswordFile string
	// Token, or the token read from TokenFile.
	Token, TokenFile string
	// CAFile is a PEM bundle of the CAs that sign the servers'
	// certificates; setting it turns TLS on. CertFile and KeyFile are a
	// client certificate for servers that verify clients (both or neither).
	CAFile, CertFile, KeyFile string
}

// natsOptions turns a into nats.go options, reading the secret files now
// so that a missing or unreadable one fails with its name at once.
func (a Auth) natsOptions() ([]nats.Option, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	var opts []nats.Option
	switch {
	case a.CredsFile != "":
		if err := readable(a.CredsFile, "creds file"); err != nil {
			return nil, err
		}
		opts = append(opts, nats.UserCredentials(a.CredsFile))
	case a.NkeyFile != "":
		opt, err := nats.NkeyOptionFromSeed(a.NkeyFile)
		if err != nil {
			return nil, fmt.Errorf("reading NATS nkey seed file %s: %w", a.NkeyFile, err)
		}
		opts = append(opts, opt)
	case a.User != "":
		pw, err := secret(a.Password, a.PasswordFile, "password file")
		if err != nil {
			return nil, err
		}
		opts = append(opts, nats.UserInfo(a.User, pw))
	case a.Token != "" || a.TokenFile != "":
		tok, err := secret(a.Token, a.TokenFile, "token file")
		if err != nil {
			return nil, err
		}
		opts = append(opts, nats.Token(tok))
	}
	if a.CAFile != "" {
		if err := checkCAFile(a.CAFile); err != nil {
			return nil, err
		}
		opts = append(opts, nats.RootCAs(a.CAFile))
	}
	if a.CertFile != "" {
		opts = append(opts, nats.ClientCert(a.CertFile, a.KeyFile))
	}
	return opts, nil
}

// check rejects settings that cannot mean one thing.
func (a Auth) check() error {
	var methods []string
	if a.CredsFile != "" {
		methods = append(methods, "creds file")
	}
	if a.NkeyFile != "" {
		methods = append(methods, "nkey file")
	}
	if a.User != "" || a.Password != "" || a.PasswordFile != "" {
		methods = append(methods, "user and password")
	}
	if a.Token != "" || a.TokenFile != "" {
		methods = append(methods, "token")
	}
	switch {
	case len(methods) > 1:
		return fmt.Errorf("NATS auth: set one of creds file, nkey file, user and password, token; got %s", strings.Join(methods, " and "))
	case a.User == "" && (a.Password != "" || a.PasswordFile != ""):
		return errors.New("NATS auth: a password needs a user")
	case a.User != "" && a.Password == "" && a.PasswordFile == "":
		return errors.New("NATS auth: user " + a.User + " needs a password or a password file")
	case a.Password != "" && a.PasswordFile != "":
		return errors.New("NATS auth: set a password or a password file, not both")
	case a.Token != "" && a.TokenFile != "":
		return errors.New("NATS auth: set a token or a token file, not both")
	case (a.CertFile == "") != (a.KeyFile == ""):
		return errors.New("NATS TLS: set both a client certificate and its key, or neither")
	}
	if a.CertFile != "" {
		if err := readable(a.CertFile, "TLS client certificate"); err != nil {
			return err
		}
		return readable(a.KeyFile, "TLS client key")
	}
	return nil
}

// secret is value, or the content of file without its trailing newline.
func secret(value, file, what string) (string, error) {
	if file == "" {
		return value, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("reading NATS %s: %w", what, err)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if s == "" {
		return "", fmt.Errorf("reading NATS %s %s: the file is empty", what, file)
	}
	return s, nil
}

func readable(file, what string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("reading NATS %s: %w", what, err)
	}
	return f.Close()
}

// checkCAFile fails unless file holds at least one PEM certificate.
func checkCAFile(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("reading NATS TLS CA file: %w", err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(b) {
		return fmt.Errorf("reading NATS TLS CA file %s: no PEM certificate in it", file)
	}
	return nil
}

// secrets are the values no message may show.
func (a Auth) secrets() []string {
	var out []string
	for _, s := range []string{a.Password, a.Token} {
		if len(s) >= 3 { // shorter would blank out ordinary words
			out = append(out, s)
		}
	}
	return out
}

// connectError explains a refused connection and hides any secret in err.
func connectError(err error, a Auth) error {
	var hint string
	var unknownCA x509.UnknownAuthorityError
	switch {
	case errors.Is(err, nats.ErrAuthorization), errors.Is(err, nats.ErrAuthExpired), errors.Is(err, nats.ErrAuthRevoked):
		hint = "the server refused this client: check nats.creds_file, nats.nkey_file, nats.user and nats.password(_file), or nats.token(_file)"
	case errors.As(err, &unknownCA):
		hint = "the server's certificate is not signed by a known CA: set nats.tls.ca_file"
	case errors.Is(err, nats.ErrSecureConnRequired):
		hint = "the server requires TLS: use a tls:// URL or set nats.tls.ca_file"
	}
	return redactErr(err, a, hint)
}

// redactErr is err with every secret of a replaced, and hint appended.
func redactErr(err error, a Auth, hint string) error {
	msg := err.Error()
	for _, s := range a.secrets() {
		msg = strings.ReplaceAll(msg, s, "***")
	}
	if hint != "" {
		msg += " (" + hint + ")"
	}
	return &redactedError{msg: msg, err: err}
}

// redactedError keeps the original error for errors.Is and errors.As but
// prints the redacted text.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
