package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8"

	"newsdesk/config"
	"newsdesk/events"
	"newsdesk/indexer/embedded"
	"newsdesk/news"
)

// Doctor verdicts.
const (
	verdictOK   = "OK"
	verdictWarn = "WARN" // works, but an operator should look
	verdictFail = "FAIL" // a command will not work until it is fixed
	verdictSkip = "SKIP" // not applicable to this configuration
)

// finding is one line of `newsdesk doctor`: what was checked, the verdict,
// what was seen and, unless OK, how to fix it.
type finding struct {
	verdict, what, detail, fix string
}

// doctorTimeout bounds the whole check, so a firewalled server makes the
// doctor say so instead of hanging.
const doctorTimeout = 30 * time.Second

// runDoctor is `newsdesk doctor`: it checks the config, NATS (connection,
// streams, consumers, replicas), Elasticsearch (health, aliases, template,
// mapping) or the embedded index's lock, and the data dir, printing each
// check with OK/WARN/FAIL and how to fix it. It changes nothing. Exit 0
// when nothing failed, 1 otherwise.
func runDoctor(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("doctor", stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	var findings []finding
	cfg, _, err := g.setup(io.Discard)
	if err != nil {
		findings = append(findings, finding{verdictFail, "config", err.Error(),
			"fix the key named above (every key is documented in config/newsdesk.example.yaml)"})
	} else {
		findings = append(findings, finding{verdictOK, "config", configDetail(g.configPath, cfg), ""})
		findings = append(findings, checkDataDir(cfg)...)
		findings = append(findings, checkNATS(ctx, cfg)...)
		findings = append(findings, checkIndex(ctx, cfg)...)
	}
	failed := false
	for _, f := range findings {
		fmt.Fprintf(stdio.Stdout, "%-4s  %s: %s\n", f.verdict, f.what, f.detail)
		if f.fix != "" && f.verdict != verdictOK {
			fmt.Fprintf(stdio.Stdout, "      fix: %s\n", f.fix)
		}
		failed = failed || f.verdict == verdictFail
	}
	if failed {
		fmt.Fprintln(stdio.Stdout, "\nsome checks failed")
		return reported(exitFailed)
	}
	fmt.Fprintln(stdio.Stdout, "\nall checks passed")
	return nil
}

func configDetail(path string, cfg *config.Config) string {
	if path == "" {
		if _, err := os.Stat("newsdesk.yaml"); err == nil {
			path = "newsdesk.yaml"
		} else {
			path = "built-in defaults"
		}
	}
	return fmt.Sprintf("%s is valid (%d sources, %d watches)", path, len(cfg.Sources), len(cfg.Watches))
}

// checkDataDir checks that the data dir exists or can be made, and that a
// file can be written in it.
func checkDataDir(cfg *config.Config) []finding {
	what := "data dir " + cfg.DataDir
	fix := "create it and make it writable by this user, or set data_dir (NEWSDESK_DATA_DIR)"
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return []finding{{verdictFail, what, err.Error(), fix}}
	}
	f, err := os.CreateTemp(cfg.DataDir, ".doctor-*")
	if err != nil {
		return []finding{{verdictFail, what, "not writable: " + err.Error(), fix}}
	}
	f.Close()
	os.Remove(f.Name())
	return []finding{{verdictOK, what, "writable", ""}}
}

// checkNATS connects without touching the streams, then compares them with
// the config and reads the consumers and the dead-letter stream.
func checkNATS(ctx context.Context, cfg *config.Config) []finding {
	url := cfg.NATS.URL
	if url == "" {
		addr := net.JoinHostPort(cfg.NATS.Embedded.Host, fmt.Sprint(cfg.NATS.Embedded.Port))
		if !reachable(ctx, addr) {
			return []finding{{verdictSkip, "nats", fmt.Sprintf("no nats.url, and no running newsdesk serves NATS on %s: run, crawl and index start the embedded server on %s",
				addr, filepath.Join(cfg.DataDir, "nats")), ""}}
		}
		url = "nats://" + addr
	}
	redacted := cfg.Redacted().NATS.URL
	if redacted == "" {
		redacted = url
	}
	opts := busOptions(cfg, url, "doctor", slog.New(slog.DiscardHandler))
	opts.Streams = events.SkipStreams
	bus, err := events.Connect(ctx, opts)
	if err != nil {
		return []finding{{verdictFail, "nats", err.Error(),
			"check nats.url (NEWSDESK_NATS_URL), that the server runs with JetStream, and the credentials (nats.creds_file, nats.user, nats.token...)"}}
	}
	defer bus.Close()
	out := []finding{{verdictOK, "nats", "connected to " + redacted, ""}}
	out = append(out, checkStreams(ctx, bus)...)
	return append(out, checkConsumers(ctx, bus)...)
}

// checkStreams reports each stream the config names as it would change
// under `newsdesk streams apply` (a dry run): missing, different, or as
// configured.
func checkStreams(ctx context.Context, bus *events.Bus) []finding {
	changes, err := bus.ApplyStreams(ctx, events.ApplyOptions{DryRun: true})
	if err != nil && !errors.Is(err, events.ErrShrink) {
		return []finding{{verdictFail, "streams", err.Error(), "check the NATS account's JetStream permissions"}}
	}
	configs, cerr := bus.StreamConfigs(ctx)
	var out []finding
	for _, c := range changes {
		what := "stream " + c.Stream
		switch {
		case c.Create:
			out = append(out, finding{verdictFail, what, "missing", "run `newsdesk streams apply` (or start `newsdesk index` or `newsdesk run`)"})
		case c.Changed():
			fix := "run `newsdesk streams apply`"
			if c.Shrinks() {
				fix = "the change shrinks the stream: set nats.* to the stream's values, or run `newsdesk streams apply --allow-shrink`"
			}
			out = append(out, finding{verdictFail, what, "differs from the config: " + c.String(), fix})
		default:
			detail := "as configured"
			if cerr == nil && configs[c.Stream] != nil {
				detail += " (" + events.DescribeStream(*configs[c.Stream]) + ")"
			}
			out = append(out, finding{verdictOK, what, detail, ""})
		}
	}
	return out
}

// checkConsumers shows the article stream's durable consumers with their
// backlog, and warns about dead letters.
func checkConsumers(ctx context.Context, bus *events.Bus) []finding {
	var out []finding
	stats, err := bus.ConsumerStats(ctx)
	switch {
	case err != nil && strings.Contains(err.Error(), "not found"):
		// the stream is missing: checkStreams said so
	case err != nil:
		out = append(out, finding{verdictFail, "consumers", err.Error(), "check the NATS account's JetStream permissions"})
	default:
		seen := map[string]bool{}
		for _, s := range stats {
			seen[s.Name] = true
			out = append(out, finding{verdictOK, "consumer " + s.Name,
				fmt.Sprintf("%d pending, %d awaiting ack, replicas %s", s.Pending, s.AckPending, replicasOf(s.Replicas)), ""})
		}
		if !seen[news.IndexerConsumer] {
			out = append(out, finding{verdictWarn, "consumer " + news.IndexerConsumer, "missing: no indexer has run yet, nothing is being indexed",
				"start `newsdesk index` (or `newsdesk run`)"})
		}
	}
	n, err := bus.DeadLetterCount(ctx)
	switch {
	case err != nil:
		out = append(out, finding{verdictFail, "dead letters", err.Error(), "check the NATS account's JetStream permissions"})
	case n > 0:
		out = append(out, finding{verdictWarn, "dead letters", fmt.Sprintf("%d events a consumer gave up on", n),
			"see why with `newsdesk dlq list`, fix the cause, then `newsdesk dlq replay --all`"})
	default:
		out = append(out, finding{verdictOK, "dead letters", "none", ""})
	}
	return out
}

func replicasOf(n int) string {
	if n == 0 {
		return "as the stream"
	}
	return fmt.Sprint(n)
}

// checkIndex checks Elasticsearch when configured, else the embedded
// index's lock.
func checkIndex(ctx context.Context, cfg *config.Config) []finding {
	if len(cfg.Elasticsearch.URLs) > 0 {
		return checkElasticsearch(ctx, cfg)
	}
	path := filepath.Join(cfg.DataDir, "index")
	what := "embedded index " + path
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return []finding{{verdictOK, what, "not created yet: the first run, index or serve creates it", ""}}
	}
	idx, err := embedded.Open(path, slog.New(slog.DiscardHandler))
	if errors.Is(err, embedded.ErrLocked) {
		return []finding{{verdictWarn, what, "open in another newsdesk process (run, serve or index): only that one can use it",
			"fine while that process runs; to run index and serve as separate processes, use Elasticsearch (elasticsearch.urls)"}}
	}
	if err != nil {
		return []finding{{verdictFail, what, err.Error(), "move the directory away (it is rebuilt by `newsdesk index` from the stream)"}}
	}
	idx.Close()
	return []finding{{verdictOK, what, "lock free", ""}}
}

// checkElasticsearch reads, and never writes: cluster health, the read and
// write aliases, the index template and the mapping's schema version.
func checkElasticsearch(ctx context.Context, cfg *config.Config) []finding {
	es := cfg.Elasticsearch
	where := strings.Join(cfg.Redacted().Elasticsearch.URLs, ", ")
	client, err := doctorESClient(cfg)
	if err != nil {
		return []finding{{verdictFail, "elasticsearch", err.Error(), "check elasticsearch.tls and the secret files"}}
	}
	var health struct {
		Status        string `json:"status"`
		NumberOfNodes int    `json:"number_of_nodes"`
	}
	if err := esGet(ctx, client, "/_cluster/health", &health); err != nil {
		return []finding{{verdictFail, "elasticsearch " + where, err.Error() + tlsHint(err),
			"check elasticsearch.urls (NEWSDESK_ES_URL), that the cluster runs, and the credentials"}}
	}
	var out []finding
	detail := fmt.Sprintf("cluster %s, %d nodes", health.Status, health.NumberOfNodes)
	switch health.Status {
	case "red":
		out = append(out, finding{verdictFail, "elasticsearch " + where, detail, "some primary shards are unassigned: see GET _cluster/allocation/explain"})
	case "yellow":
		out = append(out, finding{verdictWarn, "elasticsearch " + where, detail, "replicas are unassigned: normal on one node; set elasticsearch.replicas to 0 there"})
	default:
		out = append(out, finding{verdictOK, "elasticsearch " + where, detail, ""})
	}
	howToCreate := "start `newsdesk index` (or `newsdesk run`): it creates the index, the template and the aliases"
	var targets []string
	for _, alias := range []string{es.Index, es.Index + "-write"} {
		var got map[string]json.RawMessage
		if err := esGet(ctx, client, "/_alias/"+alias, &got); err != nil {
			out = append(out, finding{verdictFail, "alias " + alias, err.Error(), howToCreate})
			continue
		}
		names := make([]string, 0, len(got))
		for n := range got {
			names = append(names, n)
		}
		targets = append(targets, names...)
		out = append(out, finding{verdictOK, "alias " + alias, "points to " + strings.Join(names, ", "), ""})
	}
	return append(out, checkTemplate(ctx, client, es.Index, targets, howToCreate))
}

// checkTemplate reads the schema version newsdesk stamps in its index
// template's _meta and checks that the aliases point to the index of that
// version (<index>-v<version>): after an upgrade that changed the mapping,
// they point to an older one until `newsdesk index --reindex`.
func checkTemplate(ctx context.Context, client *elasticsearch.Client, alias string, targets []string, howToCreate string) finding {
	name := alias + "-template"
	what := "index template " + name
	var got struct {
		IndexTemplates []struct {
			IndexTemplate struct {
				Meta struct {
					ManagedBy     string `json:"managed_by"`
					SchemaVersion int    `json:"schema_version"`
				} `json:"_meta"`
			} `json:"index_template"`
		} `json:"index_templates"`
	}
	if err := esGet(ctx, client, "/_index_template/"+name, &got); err != nil {
		return finding{verdictFail, what, err.Error(), howToCreate}
	}
	if len(got.IndexTemplates) == 0 || got.IndexTemplates[0].IndexTemplate.Meta.ManagedBy != "newsdesk" {
		return finding{verdictFail, what, "not installed by newsdesk (no _meta.managed_by)",
			"point elasticsearch.index at a name of its own"}
	}
	version := got.IndexTemplates[0].IndexTemplate.Meta.SchemaVersion
	want := fmt.Sprintf("%s-v%d", alias, version)
	for _, t := range targets {
		if t != want {
			return finding{verdictFail, what, fmt.Sprintf("mapping version %d, but the aliases point to %s", version, t),
				"rebuild the index with `newsdesk index --reindex`"}
		}
	}
	return finding{verdictOK, what, fmt.Sprintf("mapping version %d, aliases on %s", version, want), ""}
}

// doctorESClient is a client with the configured credentials and TLS and
// no retries: the doctor reports what it sees at once.
func doctorESClient(cfg *config.Config) (*elasticsearch.Client, error) {
	es := cfg.Elasticsearch
	creds, err := es.Credentials()
	if err != nil {
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(creds.CACert) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(creds.CACert) {
			return nil, errors.New("elasticsearch.tls.ca_file: no PEM certificate in it")
		}
		tlsConf.RootCAs = pool
	}
	if len(creds.ClientCert) > 0 {
		pair, err := tls.X509KeyPair(creds.ClientCert, creds.ClientKey)
		if err != nil {
			return nil, fmt.Errorf("elasticsearch.tls.cert_file/key_file: %w", err)
		}
		tlsConf.Certificates = []tls.Certificate{pair}
	}
	transport.TLSClientConfig = tlsConf
	return elasticsearch.NewClient(elasticsearch.Config{
		Addresses: es.URLs, Username: creds.Username, Password: creds.Password, APIKey: creds.APIKey,
		CertificateFingerprint: es.CAFingerprint, Transport: transport, DisableRetry: true,
	})
}

// esGet GETs path and decodes the JSON answer into v (nil: only the status
// matters). The error names the path and the status.
func esGet(ctx context.Context, client *elasticsearch.Client, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	resp, err := client.Perform(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("GET %s: not found", path)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	if v == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("GET %s: reading the answer: %w", path, err)
	}
	return nil
}
