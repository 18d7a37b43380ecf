// Package elastic is the Elasticsearch backend of the index. Articles live in
// one concrete index ("<alias>-v2", the schema version) made from an index
// template that this code owns. Reads go through the read alias ("<alias>")
// and writes through the write alias ("<alias>-write"), so a mapping change
// can build "<alias>-v3" beside it, fill it, and swap each alias when ready.
package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	"newsdesk/indexer"
	"newsdesk/news"
)

// Defaults of Options.
const (
	DefaultIndex    = "newsdesk-articles"
	DefaultAnalyzer = "standard"
)

// Options configure the backend.
type Options struct {
	// URLs of the cluster's nodes, e.g. http://127.0.0.1:9200.
	URLs []string
	// Username and Password, or APIKey, authenticate when security is on.
	// They never appear in New's or a request's errors.
	Username, Password, APIKey string
	// CACert is the PEM of the CA certificates that sign the cluster's
	// (default: the system's roots).
	CACert []byte
	// CertificateFingerprint pins the cluster instead: the SHA-256 (hex,
	// colons allowed) of its CA's certificate, as Elasticsearch prints it
	// at first start, or of a node's own. The cluster is trusted when a
	// certificate of the chain it presents has it.
	CertificateFingerprint string
	// ClientCert and ClientKey are a PEM client certificate and its key,
	// for clusters that verify clients.
	ClientCert, ClientKey []byte
	// Shards and Replicas set a new index's primary shards (default 1) and
	// replicas: a number ("1") sets number_of_replicas, a range ("0-1", the
	// default, or "0-all") auto_expand_replicas.
	Shards   int
	Replicas string
	// Index is the read alias (default "newsdesk-articles"); writes go
	// through "<Index>-write"; the concrete index is "<Index>-v<schema>",
	// created from an index template owned by the code.
	Index string
	// Analyzer analyzes title and text (default "standard"; production uses
	// "english", which needs the analysis-common module).
	Analyzer string
	// Logger receives creation and failure notes; nil discards them.
	Logger *slog.Logger
	// MaxRetries is how often a request that Elasticsearch refused for
	// load (429) or a transient failure (502, 503, 504, a dropped
	// connection) is retried by the client's transport, with exponential
	// backoff from RetryBackoff (defaults 5 and 100ms). Negative disables
	// retries. A bulk item refused inside a 200 answer is not retried here:
	// it is that doc's error in Store's result, for the caller to retry.
	MaxRetries   int
	RetryBackoff time.Duration
	// FlushBytes bounds the memory of one bulk request (default 5 MiB): a
	// larger Store is sent as several requests.
	FlushBytes int
	// RefreshInterval is how soon after Store its documents are searchable
	// (default 500ms, DefaultRefreshInterval): one refresh at most per
	// interval, whatever the number of batches written in it;
	// BacklogRefreshInterval while a backlog waits (Index.Backlog).
	RefreshInterval time.Duration
}

// Index stores and searches articles in Elasticsearch. It is safe for
// concurrent use.
type Index struct {
	es         *elasticsearch.Client
	alias      string
	analyzer   string
	settings   obj // of a new index: shards and replicas
	log        *slog.Logger
	flushBytes int
	groupable  *groupable // shared by copies (a reindex's staging Index)
	// pending is what was written and may not be searchable yet; a copy of
	// the Index for other aliases has its own.
	pending *pendingWrites
}

var _ indexer.Index = (*Index)(nil)

// schemaVersion names the concrete index; bump it with a mapping change that
// needs a reindex.
const schemaVersion = 2

// New connects to the cluster, waits until it is at least yellow, installs the
// index template and creates the index and its alias when missing. It fails
// when the cluster is unreachable or not ready (an error wrapping
// ErrUnavailable: worth waiting for), or refuses the mapping (for instance
// an analyzer it does not have) or the credentials.
func New(ctx context.Context, opts Options) (*Index, error) {
	if opts.Index == "" {
		opts.Index = DefaultIndex
	}
	if opts.Analyzer == "" {
		opts.Analyzer = DefaultAnalyzer
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 5
	}
	if opts.RetryBackoff <= 0 {
		opts.RetryBackoff = 100 * time.Millisecond
	}
	if opts.FlushBytes <= 0 {
		opts.FlushBytes = 5 << 20
	}
	if opts.RefreshInterval <= 0 {
		opts.RefreshInterval = DefaultRefreshInterval
	}
	settings, err := indexSettings(opts.Shards, opts.Replicas)
	if err != nil {
		return nil, err
	}
	es, err := newClient(opts) // before the clamp: negative disables retries
	if err != nil {
		return nil, scrub(err, opts.Password, opts.APIKey)
	}
	ix := &Index{es: es, alias: opts.Index, analyzer: opts.Analyzer, settings: settings, log: logger,
		flushBytes: opts.FlushBytes,
		groupable:  &groupable{}}
	ix.pending = newPendingWrites(ix, opts.RefreshInterval)
	err = ix.health(ctx, "", 30*time.Second)
	if err == nil {
		err = ix.ensureIndex(ctx)
	}
	if err != nil {
		_ = ix.Close()
		if unavailable(err) {
			err = fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return nil, scrub(err, opts.Password, opts.APIKey)
	}
	return ix, nil
}

// maxIdlePerNode is how many idle connections to each node the client
// keeps for the next request: about the concurrent searches of one API.
const maxIdlePerNode = 64

// newClient makes the go-elasticsearch client of opts.
func newClient(opts Options) (*elasticsearch.Client, error) {
	base := opts.RetryBackoff
	if base <= 0 {
		base = 100 * time.Millisecond
	}
	// The default transport keeps 2 idle connections per node: with more
	// concurrent searches than that, every answer closes a connection and
	// the next search dials again (measured: the API's p50 at 32 clients).
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 4 * maxIdlePerNode
	transport.MaxIdleConnsPerHost = maxIdlePerNode
	tlsConf, err := tlsConfig(opts)
	if err != nil {
		return nil, err
	}
	transport.TLSClientConfig = tlsConf
	es, err := elasticsearch.NewClient(elasticsearch.Config{
		Addresses: opts.URLs,
		Transport: scrubbingTransport{transport},
		Username:  opts.Username,
		Password:  opts.Password,
		APIKey:    opts.APIKey,
		// The transport retries connection failures and these statuses
		// (429: the cluster sheds load) with backoff; bulk items refused
		// with 429 inside a 200 answer are each doc's error in Store's
		// result, retried by the caller (events.Consume, events.Replay).
		RetryOnStatus: []int{http.StatusTooManyRequests, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout},
		MaxRetries:   max(opts.MaxRetries, 0),
		DisableRetry: opts.MaxRetries < 0,
		RetryBackoff: func(attempt int) time.Duration { return backoff(base, attempt) },
	})
	if err != nil {
		return nil, fmt.Errorf("creating Elasticsearch client: %w", err)
	}
	return es, nil
}

// Alias returns the read alias.
func (ix *Index) Alias() string { return ix.alias }

// WriteAlias returns the alias that writes go through.
func (ix *Index) WriteAlias() string { return ix.alias + "-write" }

// concreteIndex is the index behind the alias.
func (ix *Index) concreteIndex() string { return fmt.Sprintf("%s-v%d", ix.alias, schemaVersion) }

// templateName names the index template this code owns.
func (ix *Index) templateName() string { return ix.alias + "-template" }

// ensureIndex installs (or updates) the template, then makes sure the read
// and write aliases exist: on a new cluster it creates the concrete index
// with both; on an index made before the write alias existed (schema 1) it
// adds the write alias beside the read alias, and says a reindex is due.
func (ix *Index) ensureIndex(ctx context.Context) error {
	body, err := json.Marshal(indexTemplate(ix.alias, ix.analyzer, ix.settings))
	if err != nil {
		return fmt.Errorf("encoding index template: %w", err)
	}
	res, err := ix.es.Indices.PutIndexTemplate(ix.templateName(), bytes.NewReader(body),
		ix.es.Indices.PutIndexTemplate.WithContext(ctx))
	if err := check(res, err); err != nil {
		return fmt.Errorf("installing index template %s: %w", ix.templateName(), err)
	}
	drain(res.Body)

	behindWrite, err := ix.aliasIndices(ctx, ix.WriteAlias())
	if err != nil {
		return err
	}
	if len(behindWrite) > 0 {
		return ix.putAddedFields(ctx)
	}
	behindRead, err := ix.aliasIndices(ctx, ix.alias)
	if err != nil {
		return err
	}
	switch len(behindRead) {
	case 0:
	case 1:
		ix.log.Warn("index predates the write alias; adding it, reindex to get the current mapping",
			"index", behindRead[0], "alias", ix.WriteAlias(), "schema_version", schemaVersion)
		if err := ix.putAliases(ctx, behindRead[0]); err != nil {
			return err
		}
		return ix.putAddedFields(ctx)
	default:
		return fmt.Errorf("adding write alias %s: read alias %s spans %d indices (%s); name the one to write to",
			ix.WriteAlias(), ix.alias, len(behindRead), strings.Join(behindRead, ", "))
	}

	create := fmt.Sprintf(`{"aliases":{%q:{},%q:{"is_write_index":true}}}`, ix.alias, ix.WriteAlias())
	res, err = ix.es.Indices.Create(ix.concreteIndex(),
		ix.es.Indices.Create.WithBody(strings.NewReader(create)),
		ix.es.Indices.Create.WithWaitForActiveShards("1"),
		ix.es.Indices.Create.WithContext(ctx))
	err = check(res, err)
	var esErr *Error
	switch {
	case err == nil:
		drain(res.Body)
		ix.log.Info("created index", "index", ix.concreteIndex(), "alias", ix.alias,
			"write_alias", ix.WriteAlias(), "analyzer", ix.analyzer)
		return nil
	case errors.As(err, &esErr) && esErr.Type == "resource_already_exists_exception":
		// The index exists without the aliases (another process won the
		// race between our check and create, or someone removed them).
		return ix.putAliases(ctx, ix.concreteIndex())
	default:
		return fmt.Errorf("creating index %s: %w", ix.concreteIndex(), err)
	}
}

// putAddedFields maps the fields added since the index was made (see
// addedFields) on the indices behind both aliases; a no-op when mapped.
func (ix *Index) putAddedFields(ctx context.Context) error {
	body, err := json.Marshal(obj{"properties": addedFields()})
	if err != nil {
		return fmt.Errorf("encoding mapping: %w", err)
	}
	res, err := ix.es.Indices.PutMapping([]string{ix.alias, ix.WriteAlias()}, bytes.NewReader(body),
		ix.es.Indices.PutMapping.WithContext(ctx))
	if err := check(res, err); err != nil {
		return fmt.Errorf("adding fields to the mapping of %s: %w", ix.alias, err)
	}
	drain(res.Body)
	return nil
}

// aliasIndices lists the indices behind an alias; none when it is missing.
func (ix *Index) aliasIndices(ctx context.Context, alias string) ([]string, error) {
	res, err := ix.es.Indices.GetAlias(ix.es.Indices.GetAlias.WithName(alias),
		ix.es.Indices.GetAlias.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("looking up alias %s: %w", alias, err)
	}
	if res.StatusCode == http.StatusNotFound {
		drain(res.Body)
		return nil, nil
	}
	if err := check(res, nil); err != nil {
		return nil, fmt.Errorf("looking up alias %s: %w", alias, err)
	}
	defer drain(res.Body)
	var byIndex map[string]json.RawMessage
	if err := json.NewDecoder(res.Body).Decode(&byIndex); err != nil {
		return nil, fmt.Errorf("decoding alias %s: %w", alias, err)
	}
	names := make([]string, 0, len(byIndex))
	for name := range byIndex {
		names = append(names, name)
	}
	return names, nil
}

// putAliases points both aliases at index, in one atomic update.
func (ix *Index) putAliases(ctx context.Context, index string) error {
	body := fmt.Sprintf(`{"actions":[{"add":{"index":%q,"alias":%q}},{"add":{"index":%q,"alias":%q,"is_write_index":true}}]}`,
		index, ix.alias, index, ix.WriteAlias())
	res, err := ix.es.Indices.UpdateAliases(strings.NewReader(body), ix.es.Indices.UpdateAliases.WithContext(ctx))
	if err := check(res, err); err != nil {
		return fmt.Errorf("adding aliases %s and %s to %s: %w", ix.alias, ix.WriteAlias(), index, err)
	}
	drain(res.Body)
	return nil
}

// backoff is the pause before retry attempt (1, 2, ...): base doubling per
// attempt up to 64 times base, with up to half of it added at random so that
// many indexers refused at once do not come back at once.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base << min(max(attempt-1, 0), 6)
	return d + rand.N(d/2+1)
}

// health checks that the cluster (or, with index set, that index) is yellow
// or green, waiting up to wait for it when wait is positive.
func (ix *Index) health(ctx context.Context, index string, wait time.Duration) error {
	h := ix.es.Cluster.Health
	opts := []func(*esapi.ClusterHealthRequest){h.WithContext(ctx)}
	if wait > 0 {
		opts = append(opts, h.WithWaitForStatus("yellow"), h.WithTimeout(wait))
	}
	if index != "" {
		opts = append(opts, h.WithIndex(index))
	}
	res, err := h(opts...)
	if err := check(res, err); err != nil {
		return fmt.Errorf("checking cluster health: %w", err)
	}
	defer drain(res.Body)
	var body struct {
		Status   string `json:"status"`
		TimedOut bool   `json:"timed_out"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		return fmt.Errorf("decoding cluster health: %w", err)
	}
	if body.TimedOut || body.Status == "red" {
		return fmt.Errorf("checking cluster health: %w", &notReadyError{body.Status})
	}
	return nil
}

// Ping reports whether the cluster answers and the index is at least yellow.
func (ix *Index) Ping(ctx context.Context) error {
	return ix.health(ctx, ix.alias, 0)
}

// Get returns the stored article with the given ID, or an error wrapping
// news.ErrNotFound.
func (ix *Index) Get(ctx context.Context, id string) (news.Article, error) {
	if id == "" {
		return news.Article{}, fmt.Errorf("getting article with empty ID: %w", news.ErrNotFound)
	}
	// esapi puts the ID in the path as it is: escape it, or an ID like
	// "../_search" or "a?b" would address something else.
	res, err := ix.es.Get(ix.alias, url.PathEscape(id), ix.es.Get.WithContext(ctx))
	if err != nil {
		return news.Article{}, fmt.Errorf("getting article %s: %w", id, err)
	}
	defer drain(res.Body)
	if res.StatusCode == http.StatusNotFound {
		return news.Article{}, fmt.Errorf("getting article %s: %w", id, news.ErrNotFound)
	}
	if err := check(res, nil); err != nil {
		return news.Article{}, fmt.Errorf("getting article %s: %w", id, err)
	}
	var doc struct {
		Source news.Article `json:"_source"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		return news.Article{}, fmt.Errorf("decoding article %s: %w", id, err)
	}
	return doc.Source, nil
}

// Refresh makes every stored document searchable now, rather than within
// RefreshInterval of its Store.
func (ix *Index) Refresh(ctx context.Context) error {
	return ix.pending.refresh(ctx)
}

// Backlog says whether a backlog waits behind the documents stored next
// (events.Backlogger, told by the consumer): while one does, what Store
// writes is searchable within BacklogRefreshInterval rather than
// RefreshInterval.
func (ix *Index) Backlog(behind bool) {
	ix.pending.backlog(behind)
}

// Close stops background refreshes and releases the client's connections.
// What was stored is searchable within Elasticsearch's own refresh
// interval.
func (ix *Index) Close() error {
	ix.pending.close()
	if err := ix.es.Close(context.Background()); err != nil && !errors.Is(err, elasticsearch.ErrAlreadyClosed) {
		return fmt.Errorf("closing Elasticsearch client: %w", err)
	}
	return nil
}

// drain reads and closes a response body so the connection can be reused.
func drain(body io.ReadCloser) {
	if body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, body)
	_ = body.Close()
}
