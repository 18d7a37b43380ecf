package elastic

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// tlsConfig is the client TLS setup of opts: the CA to trust or the
// fingerprint to pin, and the client certificate.
func tlsConfig(opts Options) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(opts.CACert) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(opts.CACert) {
			return nil, errors.New("elasticsearch CA certificate: no PEM certificate found")
		}
		conf.RootCAs = pool
	}
	if len(opts.ClientCert) > 0 || len(opts.ClientKey) > 0 {
		cert, err := tls.X509KeyPair(opts.ClientCert, opts.ClientKey)
		if err != nil {
			return nil, fmt.Errorf("elasticsearch client certificate: %w", err)
		}
		conf.Certificates = []tls.Certificate{cert}
	}
	if opts.CertificateFingerprint != "" {
		want, err := decodeFingerprint(opts.CertificateFingerprint)
		if err != nil {
			return nil, err
		}
		// The chain is not checked against roots: the pin replaces them,
		// as in Elasticsearch's own clients (its certificates are made
		// for node names, not for the address clients use).
		conf.InsecureSkipVerify = true
		conf.VerifyConnection = func(cs tls.ConnectionState) error { return pinned(cs, want) }
	}
	return conf, nil
}

// pinned accepts a connection whose presented chain holds the certificate
// with SHA-256 want.
func pinned(cs tls.ConnectionState, want [sha256.Size]byte) error {
	for _, c := range cs.PeerCertificates {
		if sha256.Sum256(c.Raw) == want {
			return nil
		}
	}
	return fmt.Errorf("tls: the cluster's certificates do not match the configured CA fingerprint %s",
		hex.EncodeToString(want[:]))
}

// decodeFingerprint reads 64 hex digits, colons allowed.
func decodeFingerprint(s string) ([sha256.Size]byte, error) {
	var out [sha256.Size]byte
	b, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(s), ":", ""))
	if err != nil || len(b) != sha256.Size {
		return out, fmt.Errorf("elasticsearch CA fingerprint %q: want a SHA-256 in 64 hex digits", s)
	}
	copy(out[:], b)
	return out, nil
}

// userInfo matches the credentials in a URL (scheme://user:password@).
var userInfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s"']*@`)

// scrubbedError is an error whose message had its secrets replaced; the
// original stays in the chain for errors.Is and errors.As.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// scrub hides the user info of any URL in err's message, and each
// non-empty secret, so that no credential reaches a log through an error.
func scrub(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := userInfo.ReplaceAllString(err.Error(), "${1}***@")
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "***")
		}
	}
	if msg == err.Error() {
		return err
	}
	return &scrubbedError{msg: msg, err: err}
}

// scrubbingTransport scrubs the errors of every request, whichever code path
// returns them, so that a URL with credentials never reaches a log.
type scrubbingTransport struct{ next http.RoundTripper }

func (t scrubbingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(req)
	return res, scrub(err)
}
