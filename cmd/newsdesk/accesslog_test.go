package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/config"
	"newsdesk/indexer/embedded"
	"newsdesk/internal/testenv"
)

// jsonLines decodes every JSON log record in out, failing on a line that
// is not one (JSON mode must not mix in text).
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	return recs
}

func findRecord(recs []map[string]any, msg string) map[string]any {
	for _, r := range recs {
		if r["msg"] == msg {
			return r
		}
	}
	return nil
}

// The crawl summary, in JSON mode chosen by the config file, is one number
// per field, not one string to parse.
func TestCrawlSummaryIsStructuredInJSONLogFromConfig(t *testing.T) {
	site := newTestSite(t)
	natsURL := testenv.NATS(t)
	cfgPath := writeConfig(t, strings.Replace(readFile(t, cronConfig(t, natsURL, site.URL)),
		"crawl:", "log:\n  format: json\ncrawl:", 1))

	code, stdout, stderr := runMain(t, "", "crawl", "--once", "--config", cfgPath)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	rec := findRecord(jsonLines(t, stderr), "crawl pass done")
	if rec == nil {
		t.Fatalf("no \"crawl pass done\" record in the JSON log:\n%s", stderr)
	}
	if rec["articles"] != 3.0 || rec["errors"] != 0.0 {
		t.Errorf("crawl pass done: articles=%v errors=%v, want numbers 3 and 0: %v", rec["articles"], rec["errors"], rec)
	}
	if skips, ok := rec["skips"].(map[string]any); !ok || skips["robots"] == nil {
		t.Errorf("crawl pass done: skips %v, want an object of counts", rec["skips"])
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// log.format and log.level come from the config, NEWSDESK_LOG_* override
// the file, and the flags override both.
func TestLogSettingsFromConfigEnvAndFlags(t *testing.T) {
	cfgPath := writeConfig(t, "log:\n  format: json\n  level: warn\n")
	cases := []struct {
		name           string
		env            map[string]string
		flagFmt, flagL string
		wantJSON       bool
		wantInfo       bool
	}{
		{name: "config", wantJSON: true, wantInfo: false},
		{name: "env over config", env: map[string]string{"NEWSDESK_LOG_FORMAT": "text", "NEWSDESK_LOG_LEVEL": "info"}, wantJSON: false, wantInfo: true},
		{name: "flags over env", env: map[string]string{"NEWSDESK_LOG_FORMAT": "text", "NEWSDESK_LOG_LEVEL": "error"},
			flagFmt: "json", flagL: "info", wantJSON: true, wantInfo: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			g := &globalFlags{configPath: cfgPath, logFormat: c.flagFmt, logLevel: c.flagL}
			var buf bytes.Buffer
			_, logger, err := g.setup(&buf)
			if err != nil {
				t.Fatalf("setup: %v", err)
			}
			logger.Info("hello", "k", 1)
			logger.Error("bad", "k", 2)
			out := buf.String()
			if got := strings.HasPrefix(out, "{"); got != c.wantJSON {
				t.Errorf("JSON = %v, want %v: %q", got, c.wantJSON, out)
			}
			if got := strings.Contains(out, "hello"); got != c.wantInfo {
				t.Errorf("info logged = %v, want %v: %q", got, c.wantInfo, out)
			}
			if !strings.Contains(out, "bad") {
				t.Errorf("error record missing: %q", out)
			}
		})
	}
}

func TestBadLogSettingsNameTheKey(t *testing.T) {
	code, _, stderr := runMain(t, "", "serve", "--config", writeConfig(t, "log:\n  format: xml\n"))
	if code != exitUsage || !strings.Contains(stderr, "log.format") {
		t.Errorf("log.format: xml: exit %d, stderr %q; want a usage error naming log.format", code, stderr)
	}
	t.Setenv("NEWSDESK_LOG_LEVEL", "loud")
	code, _, stderr = runMain(t, "", "serve", "--config", writeConfig(t, ""))
	if code != exitUsage || !strings.Contains(stderr, "NEWSDESK_LOG_LEVEL") {
		t.Errorf("NEWSDESK_LOG_LEVEL=loud: exit %d, stderr %q; want a usage error naming it", code, stderr)
	}
}

// The access log is off by default and, when on, logs each request with its
// status through the real search API.
func TestAccessLog(t *testing.T) {
	cfg := config.Default()
	idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	for _, on := range []bool{false, true} {
		cfg.HTTP.AccessLog = on
		var buf bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&buf, nil))
		srv := httptest.NewServer(withAccessLog(cfg.HTTP, logger, newAPI(cfg, idx, slog.New(slog.NewTextHandler(io.Discard, nil)))))
		for _, path := range []string{"/api/search?q=privacy", "/no-such-page"} {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		srv.Close()
		recs := jsonLines(t, buf.String())
		if !on {
			if len(recs) != 0 {
				t.Errorf("access log off, yet logged %v", recs)
			}
			continue
		}
		if len(recs) != 2 {
			t.Fatalf("access log on: %d records, want 2: %s", len(recs), buf.String())
		}
		if recs[0]["path"] != "/api/search" || recs[0]["query"] != "q=privacy" || recs[0]["status"] != 200.0 || recs[0]["method"] != "GET" {
			t.Errorf("first record %v, want GET /api/search q=privacy 200", recs[0])
		}
		if recs[1]["status"] != 404.0 {
			t.Errorf("second record %v, want status 404", recs[1])
		}
	}
}
