package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/config"
	"newsdesk/internal/testenv"
)

// TestOpenIndexWithSecretFilesAndCA: newsdesk reaches a cluster behind
// HTTPS with its own certificate and basic auth, reading the password from
// password_file and trusting the CA from tls.ca_file or ca_fingerprint;
// without either it fails with a hint naming those keys, and the password
// is in no error and no log line.
func TestOpenIndexWithSecretFilesAndCA(t *testing.T) {
	esURL := testenv.ElasticsearchURL(t)
	target, _ := url.Parse(esURL)
	const password = "hunter2-wire-secret"
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "elastic" || p != password {
			http.Error(w, `{"error":{"type":"security_exception","reason":"bad credentials"}}`, http.StatusUnauthorized)
			return
		}
		r.Header.Del("Authorization")
		proxy.ServeHTTP(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	pwFile := filepath.Join(dir, "es-password")
	caFile := filepath.Join(dir, "es-ca.pem")
	writeTestFile(t, pwFile, password+"\n")
	writeTestFile(t, caFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	sum := sha256.Sum256(srv.Certificate().Raw)

	alias := "newsdesk-wire-tls-" + hex.EncodeToString(sum[:4])
	t.Cleanup(func() { testenv.DropElasticsearchIndex(t, esURL, alias) })
	base := func() *config.Config {
		cfg := config.Default()
		cfg.DataDir = dir
		cfg.Elasticsearch.URLs = []string{srv.URL}
		cfg.Elasticsearch.Username, cfg.Elasticsearch.PasswordFile = "elastic", pwFile
		cfg.Elasticsearch.Index = alias
		return cfg
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	open := func(cfg *config.Config) error {
		t.Helper()
		if err := cfg.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		idx, err := openIndex(t.Context(), cfg, logger)
		if err == nil {
			err = idx.Close()
		}
		if err != nil && strings.Contains(err.Error(), password) {
			t.Errorf("the error holds the password: %v", err)
		}
		return err
	}

	withCA := base()
	withCA.Elasticsearch.TLS.CAFile = caFile
	if err := open(withCA); err != nil {
		t.Errorf("with tls.ca_file: %v", err)
	}
	withPin := base()
	withPin.Elasticsearch.CAFingerprint = hex.EncodeToString(sum[:])
	if err := open(withPin); err != nil {
		t.Errorf("with ca_fingerprint: %v", err)
	}
	err := open(base())
	if err == nil || !strings.Contains(err.Error(), "unknown authority") || !strings.Contains(err.Error(), "elasticsearch.tls.ca_file") {
		t.Errorf("without the CA: %v, want an unknown authority error with a hint", err)
	}
	if strings.Contains(logs.String(), password) {
		t.Errorf("the log holds the password:\n%s", logs.String())
	}
}

func writeTestFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
