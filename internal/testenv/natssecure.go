package testenv

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// SecureNATSServer is a JetStream server that only speaks TLS, with a
// certificate from a CA made for the test, and only admits two users: one
// known by an nkey, one by a user name and password.
type SecureNATSServer struct {
	// URL is tls://127.0.0.1:port.
	URL string
	// CAFile is the PEM certificate of the CA that signed the server's.
	CAFile string
	// NkeySeedFile holds the nkey user's seed; NkeySeed is its content.
	NkeySeedFile, NkeySeed string
	// User and Password are the other user; PasswordFile holds Password.
	User, Password, PasswordFile string
}

// SecureNATS starts a SecureNATSServer that shuts down when the test ends.
func SecureNATS(t testing.TB) *SecureNATSServer {
	t.Helper()
	dir := t.TempDir()
	caCert, caKey := newCA(t)
	serverTLS := serverCert(t, caCert, caKey)
	s := &SecureNATSServer{
		CAFile:       writePEM(t, filepath.Join(dir, "ca.pem"), "CERTIFICATE", caCert.Raw),
		User:         "indexer",
		Password:     "pw-" + rand.Text(),
		PasswordFile: filepath.Join(dir, "nats-password"),
		NkeySeedFile: filepath.Join(dir, "user.nk"),
	}
	if err := os.WriteFile(s.PasswordFile, []byte(s.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := user.Seed()
	pub, _ := user.PublicKey()
	s.NkeySeed = string(seed)
	if err := os.WriteFile(s.NkeySeedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true,
		JetStream: true, StoreDir: filepath.Join(dir, "js"),
		TLS: true, TLSConfig: &tls.Config{Certificates: []tls.Certificate{serverTLS}, MinVersion: tls.VersionTLS12},
		Nkeys: []*server.NkeyUser{{Nkey: pub}},
		Users: []*server.User{{Username: s.User, Password: s.Password}},
	})
	if err != nil {
		t.Fatalf("starting the TLS NATS server: %v", err)
	}
	srv.Start()
	t.Cleanup(srv.Shutdown)
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("the TLS NATS server did not start")
	}
	addr := srv.Addr().(*net.TCPAddr)
	s.URL = "tls://127.0.0.1:" + strconv.Itoa(addr.Port)
	return s
}

// newCA makes a self-signed CA certificate and its key.
func newCA(t testing.TB) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "newsdesk test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// serverCert makes a certificate for 127.0.0.1 signed by the CA.
func serverCert(t testing.TB, ca *x509.Certificate, caKey *ecdsa.PrivateKey) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func writePEM(t testing.TB, path, typ string, der []byte) string {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
