package events

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// readyTimeout bounds how long StartEmbedded waits for the server to accept
// connections. JetStream recovers its store before it listens, which can take
// a while on a large store, so this is generous; a failed start is reported
// at once through the server's fatal log, not by this timeout.
const readyTimeout = 2 * time.Minute

// EmbeddedOptions configures the in-process NATS server that `newsdesk run`
// starts by default, so a fresh checkout needs no setup.
type EmbeddedOptions struct {
	// DataDir is the JetStream store directory (required). Two servers must
	// never share one: nats-server does not lock it.
	DataDir string
	// Host is the interface to listen on, default "127.0.0.1".
	Host string
	// Port is the client port: 0 means 4222 (the NATS default, so `nats sub`
	// and a cron `newsdesk crawl` can connect); -1 picks a random free port
	// (tests).
	Port int
	// MonitorPort is the HTTP monitoring port (/varz, /jsz, /healthz) on
	// Host: 0 leaves it off, -1 picks a free port (tests).
	MonitorPort int
}

// SystemUser is the user of the embedded server's system account, for the
// operator tools that need it (`nats server report jetstream`). Its password
// is generated at each start and written to SystemPasswordFile.
const SystemUser = "sys"

// SystemPasswordFile is the file under DataDir holding SystemUser's
// password, readable by the owner only.
const SystemPasswordFile = "system-password"

// appUser is the user every client without credentials is mapped to, in the
// global account that holds the streams (as before there were users).
const appUser = "newsdesk"

// EmbeddedServer is a NATS server with JetStream running inside this process.
type EmbeddedServer struct {
	srv *server.Server
	url string
	log *slog.Logger
}

// StartEmbedded starts a NATS server with JetStream and waits until it accepts
// connections. It fails with an error naming the address when the port is
// already taken (another NATS server, or a second `newsdesk run`), checked
// before the server opens the store, so a second process never touches the
// first one's data. The server installs no signal handlers: the caller owns
// Ctrl-C and calls Shutdown.
func StartEmbedded(opts EmbeddedOptions, logger *slog.Logger) (*EmbeddedServer, error) {
	log := orDiscard(logger)
	if opts.DataDir == "" {
		return nil, errors.New("starting embedded NATS: DataDir is required")
	}
	host := opts.Host
	if host == "" {
		host = "127.0.0.1"
	}
	port := opts.Port
	switch {
	case port == 0:
		port = server.DEFAULT_PORT
	case port < 0:
		port = server.RANDOM_PORT
	}
	if port != server.RANDOM_PORT {
		if err := checkPortFree(host, port); err != nil {
			return nil, err
		}
	}

	sysPassword, err := writeSystemPassword(opts.DataDir)
	if err != nil {
		return nil, err
	}
	srvOpts := serverOptions(host, port, opts, sysPassword)
	srv, err := server.NewServer(srvOpts)
	if err != nil {
		return nil, fmt.Errorf("starting embedded NATS: %w", err)
	}
	srvLog := newServerLogger(log)
	srv.SetLoggerV2(srvLog, false, false, false)

	go srv.Start()
	if err := waitReady(srv, srvLog.fatal); err != nil {
		srv.Shutdown()
		srv.WaitForShutdown()
		return nil, fmt.Errorf("starting embedded NATS on %s: %w", addrString(host, port), err)
	}

	s := &EmbeddedServer{srv: srv, url: clientURL(host, srv), log: log}
	attrs := []any{"url", s.url, "store", opts.DataDir,
		"system_user", SystemUser, "system_password_file", filepath.Join(opts.DataDir, SystemPasswordFile)}
	if m := s.MonitorURL(); m != "" {
		attrs = append(attrs, "monitor", m)
	}
	log.Info("embedded NATS ready", attrs...)
	return s, nil
}

// serverOptions configures the server: JetStream in the global account,
// which clients without credentials land in, and a system account with one
// password user so the server can be inspected like any other.
func serverOptions(host string, port int, opts EmbeddedOptions, sysPassword string) *server.Options {
	sys := server.NewAccount(server.DEFAULT_SYSTEM_ACCOUNT)
	o := &server.Options{
		ServerName:    "newsdesk-embedded",
		Host:          host,
		Port:          port,
		JetStream:     true,
		StoreDir:      opts.DataDir,
		NoSigs:        true,
		Accounts:      []*server.Account{sys},
		SystemAccount: server.DEFAULT_SYSTEM_ACCOUNT,
		Users: []*server.User{
			{Username: appUser, Password: randomSecret()}, // global account
			{Username: SystemUser, Password: sysPassword, Account: sys},
		},
		NoAuthUser: appUser,
	}
	switch {
	case opts.MonitorPort > 0:
		o.HTTPHost, o.HTTPPort = host, opts.MonitorPort
	case opts.MonitorPort < 0:
		o.HTTPHost, o.HTTPPort = host, server.RANDOM_PORT
	}
	return o
}

// writeSystemPassword makes a fresh password for SystemUser and writes it to
// SystemPasswordFile, so only who can read the data dir can use it.
func writeSystemPassword(dataDir string) (string, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return "", fmt.Errorf("starting embedded NATS: cannot use %s as the JetStream store: %w", dataDir, err)
	}
	pw := randomSecret()
	path := filepath.Join(dataDir, SystemPasswordFile)
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("starting embedded NATS: writing the system password file %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return "", fmt.Errorf("starting embedded NATS: restricting %s: %w", path, err)
	}
	return pw, nil
}

// randomSecret is a 128-bit random password.
func randomSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// MonitorURL is the base URL of the monitoring endpoints (/varz, /jsz), or
// "" when MonitorPort left them off.
func (s *EmbeddedServer) MonitorURL() string {
	addr := s.srv.MonitorAddr()
	if addr == nil {
		return ""
	}
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
}

// ClientURL is the URL clients connect to, with the actual port when the
// server picked a random one. A wildcard listen address (0.0.0.0, ::) is
// replaced by the loopback address, which is what an in-process client wants.
func (s *EmbeddedServer) ClientURL() string { return s.url }

// Shutdown stops the server gracefully and returns once it has stopped:
// JetStream stops its streams, which writes buffered data to the store, so
// everything acknowledged to a publisher is found again by the next start on
// the same DataDir.
func (s *EmbeddedServer) Shutdown() {
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
	s.log.Info("embedded NATS stopped")
}

// checkPortFree fails with a clear message when host:port cannot be bound.
// The server would only find out after opening the JetStream store, and only
// report it in a log line.
func checkPortFree(host string, port int) error {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("starting embedded NATS: cannot listen on %s (is another NATS server or newsdesk already running? choose another port or connect to it instead): %w", addr, err)
	}
	if err := l.Close(); err != nil {
		return fmt.Errorf("starting embedded NATS: releasing probe listener on %s: %w", addr, err)
	}
	return nil
}

// waitReady waits until srv accepts connections, or returns the server's
// fatal error as soon as it logs one (bad store directory, port lost to a
// race), or gives up after readyTimeout.
func waitReady(srv *server.Server, fatal <-chan string) error {
	deadline := time.Now().Add(readyTimeout)
	for {
		if srv.ReadyForConnections(50 * time.Millisecond) {
			return nil
		}
		select {
		case msg := <-fatal:
			return errors.New(msg)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready for connections after %s", readyTimeout)
		}
	}
}

// clientURL builds the URL to reach srv from this host.
func clientURL(host string, srv *server.Server) string {
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	addr, ok := srv.Addr().(*net.TCPAddr)
	if !ok {
		return srv.ClientURL()
	}
	return "nats://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
}

// addrString names the listen address in errors.
func addrString(host string, port int) string {
	if port == server.RANDOM_PORT {
		return host + " (random port)"
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}
