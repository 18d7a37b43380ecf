package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// proc is one child process: a nats-server or a newsdesk command, its
// output in a log file of the work dir so a failure can be read afterwards.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error // set when done is closed
}

// startProc starts bin with args, stdout and stderr appended to logPath.
func startProc(name, logPath, bin string, args ...string) (*proc, error) {
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "----- %s: %s %s\n", time.Now().Format(time.RFC3339Nano), bin, strings.Join(args, " "))
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		out.Close()
		close(p.done)
	}()
	return p, nil
}

// signal sends sig and, for SIGKILL, waits until the process is gone.
func (p *proc) signal(sig syscall.Signal) {
	_ = p.cmd.Process.Signal(sig)
	if sig == syscall.SIGKILL {
		<-p.done
	}
}

// wait waits for the process to exit, at most d, and returns its exit
// status (-1 when it did not exit in time).
func (p *proc) wait(d time.Duration) int {
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		return -1
	}
}

// stop ends the process if it still runs: SIGTERM, then SIGKILL.
func (p *proc) stop() {
	if p == nil {
		return
	}
	select {
	case <-p.done:
		return
	default:
	}
	p.signal(syscall.SIGTERM)
	if p.wait(30*time.Second) < 0 {
		p.signal(syscall.SIGKILL)
	}
}

// natsServer is a standalone nats-server process with JetStream, restartable
// on the same port and store.
type natsServer struct {
	bin, dir string
	port     int
	proc     *proc
}

func startNATS(bin, dir string) (*natsServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	n := &natsServer{bin: bin, dir: dir, port: port}
	return n, n.start()
}

func (n *natsServer) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", n.port) }

func (n *natsServer) start() error {
	p, err := startProc("nats-server", filepath.Join(n.dir, "nats-server.log"), n.bin,
		"-a", "127.0.0.1", "-p", strconv.Itoa(n.port), "-js", "-sd", filepath.Join(n.dir, "jetstream"),
		"-n", "newsdesk-reliability")
	if err != nil {
		return err
	}
	n.proc = p
	return n.waitReady(30 * time.Second)
}

// waitReady waits until the server answers JetStream API requests.
func (n *natsServer) waitReady(d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		if err := jetStreamAnswers(n.url()); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("nats-server on %s not ready within %s: %w (log: %s)", n.url(), d, err, n.proc.log)
		}
		select {
		case <-n.proc.done:
			return fmt.Errorf("nats-server on %s exited at start (log: %s)", n.url(), n.proc.log)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func jetStreamAnswers(url string) error {
	nc, err := nats.Connect(url, nats.Timeout(time.Second))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = js.AccountInfo(ctx)
	return err
}

// kill SIGKILLs the server: no shutdown, no flush, as a crash.
func (n *natsServer) kill() { n.proc.signal(syscall.SIGKILL) }

func (n *natsServer) stop() { n.proc.stop() }

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("reserving a port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// privateES is an Elasticsearch of our own, started with
// scripts/elasticsearch.sh on its own port, state and data dir, so killing
// it touches no one else's server. The data dir is kept across restarts,
// as a real node's disk is.
type privateES struct {
	script, state, data string
	port                int
}

func newPrivateES(root string) (*privateES, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	// Under /tmp and world-traversable: as root, the script runs
	// Elasticsearch as a service user that must reach its dirs.
	base, err := os.MkdirTemp("", "newsdesk-reliability-es-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(base, 0o755); err != nil {
		return nil, err
	}
	return &privateES{script: filepath.Join(root, "scripts", "elasticsearch.sh"),
		state: filepath.Join(base, "state"), data: filepath.Join(base, "data"), port: port}, nil
}

func (e *privateES) run(arg string) (string, error) {
	cmd := exec.Command(e.script, arg)
	cmd.Env = append(os.Environ(), "NEWSDESK_ES_PORT="+strconv.Itoa(e.port),
		"NEWSDESK_ES_STATE="+e.state, "NEWSDESK_ES_DATA="+e.data)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", e.script, arg, err, out)
	}
	return string(out), nil
}

func (e *privateES) url() string { return fmt.Sprintf("http://127.0.0.1:%d", e.port) }

func (e *privateES) start() error { _, err := e.run("start"); return err }

// kill SIGKILLs the Elasticsearch process and waits until it is gone.
func (e *privateES) kill() error {
	b, err := os.ReadFile(filepath.Join(e.state, "elasticsearch.pid"))
	if err != nil {
		return fmt.Errorf("reading the Elasticsearch pid: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("reading the Elasticsearch pid file: %w", err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		return fmt.Errorf("killing Elasticsearch (pid %d): %w", pid, err)
	}
	for syscall.Kill(pid, 0) == nil {
		time.Sleep(100 * time.Millisecond)
	}
	return nil
}

func (e *privateES) stop() {
	if _, err := e.run("stop"); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the private Elasticsearch:", err)
	}
	os.RemoveAll(filepath.Dir(e.state))
}

// errTimeout marks a scenario that did not reach its end state in time.
var errTimeout = errors.New("timed out")
