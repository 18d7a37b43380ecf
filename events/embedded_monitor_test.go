package events_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"newsdesk/events"
	"newsdesk/news"
)

// The monitoring port is what `curl :8222/jsz` and Prometheus exporters
// read: it must show the streams newsdesk made.
func TestEmbeddedMonitorPortServesJSZ(t *testing.T) {
	ctx := testContext(t)
	dir := t.TempDir()
	srv, err := events.StartEmbedded(events.EmbeddedOptions{DataDir: dir, Port: -1, MonitorPort: -1}, nil)
	if err != nil {
		t.Fatalf("StartEmbedded: %v", err)
	}
	t.Cleanup(srv.Shutdown)
	bus := connect(ctx, t, srv.ClientURL())
	if err := bus.Publish(ctx, event(news.ArticleCreated, article("wired", "https://example.com/a", "body"))); err != nil {
		t.Fatalf("Publish: %v", err)
	}

	base := srv.MonitorURL()
	if base == "" {
		t.Fatal("MonitorURL is empty with MonitorPort -1")
	}
	var jsz struct {
		Streams  int `json:"streams"`
		Messages int `json:"messages"`
	}
	getJSON(t, base+"/jsz", &jsz)
	if jsz.Streams < 1 || jsz.Messages != 1 {
		t.Errorf("/jsz reports %d streams and %d messages, want the article stream with 1 message", jsz.Streams, jsz.Messages)
	}
	var varz struct {
		ServerName string `json:"server_name"`
	}
	getJSON(t, base+"/varz", &varz)
	if varz.ServerName != "newsdesk-embedded" {
		t.Errorf("/varz server_name = %q, want newsdesk-embedded", varz.ServerName)
	}
}

func TestEmbeddedMonitorPortOffByDefault(t *testing.T) {
	srv := startServer(t, t.TempDir())
	if got := srv.MonitorURL(); got != "" {
		t.Errorf("MonitorURL = %q without MonitorPort, want none", got)
	}
}

// `nats server report jetstream` asks every server over the system account
// ($SYS.REQ.SERVER.PING.JSZ); the password file is how an operator logs in.
func TestEmbeddedSystemAccountAnswersServerReport(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, dir)
	path := filepath.Join(dir, events.SystemPasswordFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the system password file: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("system password file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	nc, err := nats.Connect(srv.ClientURL(), nats.UserInfo(events.SystemUser, strings.TrimSpace(string(raw))))
	if err != nil {
		t.Fatalf("connecting as the system user: %v", err)
	}
	defer nc.Close()
	msg, err := nc.Request("$SYS.REQ.SERVER.PING.JSZ", nil, 10*time.Second)
	if err != nil {
		t.Fatalf("$SYS.REQ.SERVER.PING.JSZ: %v", err)
	}
	var reply struct {
		Server struct {
			Name string `json:"name"`
		} `json:"server"`
		Data struct {
			Config struct {
				StoreDir string `json:"store_dir"`
			} `json:"config"`
		} `json:"data"`
	}
	if err := json.Unmarshal(msg.Data, &reply); err != nil {
		t.Fatalf("decoding JSZ reply %s: %v", msg.Data, err)
	}
	if reply.Server.Name != "newsdesk-embedded" || reply.Data.Config.StoreDir == "" {
		t.Errorf("JSZ reply %s does not describe the embedded JetStream server", msg.Data)
	}

	if _, err := nats.Connect(srv.ClientURL(), nats.UserInfo(events.SystemUser, "wrong")); err == nil {
		t.Error("the system user logged in with a wrong password")
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("decoding %s: %v", url, err)
	}
}
