package elastic

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/testenv"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// fingerprint is the CA's SHA-256 as Elasticsearch prints it: hex pairs
// with colons.
func (ca *testCA) fingerprint() string {
	sum := sha256.Sum256(ca.cert.Raw)
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = strings.ToUpper(hex.EncodeToString([]byte{b}))
	}
	return strings.Join(pairs, ":")
}

// issue signs a leaf certificate for 127.0.0.1 (server or client use) and
// returns it as a tls.Certificate with the CA in its chain, plus its PEMs.
func (ca *testCA) issue(t *testing.T, usage x509.ExtKeyUsage) (tls.Certificate, []byte, []byte) {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{usage},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	return tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key}, certPEM, keyPEM
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// secureProxy is an HTTPS reverse proxy in front of the test cluster that
// requires basic auth, as a secured cluster does, and optionally a client
// certificate signed by its CA.
func secureProxy(t *testing.T, ca *testCA, user, password string, requireClientCert bool) string {
	t.Helper()
	target, err := url.Parse(testenv.ElasticsearchURL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != user || p != password {
			w.Header().Set("WWW-Authenticate", `Basic realm="security"`)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"type":"security_exception","reason":"unable to authenticate user [` + u + `]"},"status":401}`))
			return
		}
		r.Header.Del("Authorization") // the test cluster runs without security
		proxy.ServeHTTP(w, r)
	}))
	serverCert, _, _ := ca.issue(t, x509.ExtKeyUsageServerAuth)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}}
	if requireClientCert {
		pool := x509.NewCertPool()
		pool.AddCert(ca.cert)
		srv.TLS.ClientCAs = pool
		srv.TLS.ClientAuth = tls.RequireAndVerifyClientCert
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

// syncBuffer is a log destination safe for the client's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestTLSAndBasicAuth connects through an HTTPS proxy with its own CA and
// basic auth: with the CA file or the CA fingerprint and the right password
// newsdesk creates its index; an unknown CA, a wrong fingerprint or a wrong
// password fail with a clear error; the password is in no error and no log.
func TestTLSAndBasicAuth(t *testing.T) {
	ca := newTestCA(t, "newsdesk test CA")
	password := "hunter2-" + hex.EncodeToString(randomBytes(t, 6))
	base := secureProxy(t, ca, "elastic", password, false)
	withUser := strings.Replace(base, "https://", "https://elastic:"+password+"@", 1)
	other := newTestCA(t, "another CA")

	cases := []struct {
		name    string
		opts    func(o *Options)
		wantErr string // "" means New succeeds
	}{
		{"ca file", func(o *Options) { o.CACert = ca.pem }, ""},
		{"ca fingerprint", func(o *Options) { o.CertificateFingerprint = ca.fingerprint() }, ""},
		{"credentials in the url", func(o *Options) {
			o.URLs, o.Username, o.Password, o.CACert = []string{withUser}, "", "", ca.pem
		}, ""},
		{"system roots", func(o *Options) {}, "certificate signed by unknown authority"},
		{"another ca", func(o *Options) { o.CACert = other.pem }, "certificate signed by unknown authority"},
		{"another fingerprint", func(o *Options) { o.CertificateFingerprint = other.fingerprint() }, "do not match the configured CA fingerprint"},
		{"unknown ca with credentials in the url", func(o *Options) {
			o.URLs, o.Username, o.Password = []string{withUser}, "", ""
		}, "certificate signed by unknown authority"},
		{"wrong password", func(o *Options) { o.CACert, o.Password = ca.pem, "not-"+password }, "security_exception"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs syncBuffer
			opts := testOptions(t, "")
			opts.URLs = []string{base}
			opts.Username, opts.Password = "elastic", password
			opts.MaxRetries = -1
			opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			tc.opts(&opts)
			idx, err := New(t.Context(), opts)
			if err == nil {
				t.Cleanup(func() { deleteTestIndex(t, idx) })
				if perr := idx.Ping(t.Context()); perr != nil {
					t.Errorf("Ping: %v", perr)
				}
				_ = idx.Close()
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("New: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Errorf("New succeeded, want an error containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("New: %v, want an error containing %q", err, tc.wantErr)
			case err != nil:
				t.Logf("New: %v", err)
			}
			if err != nil && strings.Contains(err.Error(), password) {
				t.Errorf("the error holds the password: %v", err)
			}
			if strings.Contains(logs.String(), password) {
				t.Errorf("the log holds the password:\n%s", logs.String())
			}
		})
	}
}

// TestClientCertificate: a cluster that verifies clients lets newsdesk in
// with the client certificate and key, and refuses it without them.
func TestClientCertificate(t *testing.T) {
	ca := newTestCA(t, "newsdesk mTLS CA")
	base := secureProxy(t, ca, "elastic", "mtls-password", true)
	_, certPEM, keyPEM := ca.issue(t, x509.ExtKeyUsageClientAuth)
	opts := testOptions(t, "")
	opts.URLs, opts.Username, opts.Password, opts.CACert, opts.MaxRetries = []string{base}, "elastic", "mtls-password", ca.pem, -1

	if _, err := New(t.Context(), opts); err == nil {
		t.Fatal("New without a client certificate succeeded")
	}
	opts.ClientCert, opts.ClientKey = certPEM, keyPEM
	idx, err := New(t.Context(), opts)
	if err != nil {
		t.Fatalf("New with a client certificate: %v", err)
	}
	t.Cleanup(func() { deleteTestIndex(t, idx) })
	_ = idx.Close()

	opts.ClientKey = []byte("not a key")
	if _, err := New(t.Context(), opts); err == nil || !strings.Contains(err.Error(), "elasticsearch client certificate") {
		t.Errorf("New with a bad key: %v, want an error naming the client certificate", err)
	}
}

// TestShardsAndReplicas: the index New creates has the configured primary
// shards and replicas; a range becomes auto_expand_replicas.
func TestShardsAndReplicas(t *testing.T) {
	cases := []struct {
		shards   int
		replicas string
		want     map[string]string
	}{
		{2, "1", map[string]string{"number_of_shards": "2", "number_of_replicas": "1", "auto_expand_replicas": ""}},
		{3, "0-all", map[string]string{"number_of_shards": "3", "auto_expand_replicas": "0-all"}},
		{0, "", map[string]string{"number_of_shards": "1", "auto_expand_replicas": "0-1"}}, // the defaults
	}
	for _, tc := range cases {
		opts := testOptions(t, "")
		opts.Shards, opts.Replicas = tc.shards, tc.replicas
		idx, err := New(t.Context(), opts)
		if err != nil {
			t.Fatalf("New(shards %d, replicas %q): %v", tc.shards, tc.replicas, err)
		}
		t.Cleanup(func() { deleteTestIndex(t, idx) })
		got := indexSettingsOf(t, idx)
		for k, want := range tc.want {
			if got[k] != want {
				t.Errorf("shards %d, replicas %q: index.%s = %q, want %q (settings %v)", tc.shards, tc.replicas, k, got[k], want, got)
			}
		}
		_ = idx.Close()
	}
	if _, err := New(t.Context(), Options{URLs: []string{testenv.ElasticsearchURL(t)}, Replicas: "some"}); err == nil ||
		!strings.Contains(err.Error(), `index replicas: "some"`) {
		t.Errorf("New with replicas %q: %v", "some", err)
	}
}

// indexSettingsOf reads the index settings of idx's concrete index as
// Elasticsearch reports them (strings).
func indexSettingsOf(t *testing.T, idx *Index) map[string]string {
	t.Helper()
	res, err := idx.es.Indices.GetSettings(idx.es.Indices.GetSettings.WithIndex(idx.concreteIndex()),
		idx.es.Indices.GetSettings.WithContext(context.Background()))
	if err := check(res, err); err != nil {
		t.Fatal(err)
	}
	defer drain(res.Body)
	var body map[string]struct {
		Settings struct {
			Index map[string]any `json:"index"`
		} `json:"settings"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range body[idx.concreteIndex()].Settings.Index {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	if out["auto_expand_replicas"] == "false" {
		out["auto_expand_replicas"] = ""
	}
	return out
}

// TestScrubHidesCredentials: transport errors naming a URL with user info,
// and errors holding a configured secret, come back without them, and the
// original error stays reachable.
func TestScrubHidesCredentials(t *testing.T) {
	inner := errors.New(`Get "https://elastic:s3cret-pw@es-0:9200/": dial tcp: lookup es-0: no such host (key a2V5OnNlY3JldA==)`)
	err := scrub(inner, "s3cret-pw", "a2V5OnNlY3JldA==")
	if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "a2V5") {
		t.Errorf("scrub left a secret: %v", err)
	}
	if !strings.Contains(err.Error(), "https://***@es-0:9200/") || !errors.Is(err, inner) {
		t.Errorf("scrub = %v", err)
	}
	if plain := errors.New("no secret here"); scrub(plain) != plain {
		t.Error("scrub wrapped an error without secrets")
	}
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// failingTransport fails every request with an error naming its URL, as
// some transports do.
type failingTransport struct{}

func (failingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return nil, errors.New("request to " + req.URL.String() + " failed")
}

// TestRequestErrorsAreScrubbed: whatever request fails, its error reaches
// the caller without the URL's credentials.
func TestRequestErrorsAreScrubbed(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://elastic:s3cret-pw@es-0:9200/_cluster/health", nil)
	_, err := scrubbingTransport{failingTransport{}}.RoundTrip(req)
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "https://***@es-0:9200") {
		t.Errorf("RoundTrip error = %v", err)
	}
}
