// Package elastic is the Elasticsearch backend of the index. Articles live in
// one concrete index ("<alias>-v1") made from an index template that this
// code owns, and every read and write goes through the alias, so a later
// mapping change can build "<alias>-v2" beside it and swap the alias.
package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
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
	Username, Password, APIKey string
	// Index is the alias name (default "newsdesk-articles"); the concrete
	// index is "<alias>-v1", created from an index template owned by the code.
	Index string
	// Analyzer analyzes title and text (default "standard"; production uses
	// "english", which needs the analysis-common module).
	Analyzer string
	// Logger receives creation and failure notes; nil discards them.
	Logger *slog.Logger
}

// Index stores and searches articles in Elasticsearch. It is safe for
// concurrent use.
type Index struct {
	es       *elasticsearch.Client
	alias    string
	analyzer string
	log      *slog.Logger
}

var _ indexer.Index = (*Index)(nil)

// schemaVersion names the concrete index; bump it with a mapping change that
// needs a reindex.
const schemaVersion = 1

// New connects to the cluster, waits until it is at least yellow, installs the
// index template and creates the index and its alias when missing. It fails
// when the cluster is unreachable or refuses the mapping (for instance an
// analyzer it does not have).
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
	es, err := newClient(opts)
	if err != nil {
		return nil, err
	}
	ix := &Index{es: es, alias: opts.Index, analyzer: opts.Analyzer, log: logger}
	err = ix.health(ctx, "", 30*time.Second)
	if err == nil {
		err = ix.ensureIndex(ctx)
	}
	if err != nil {
		_ = ix.Close()
		return nil, err
	}
	return ix, nil
}

// newClient makes the go-elasticsearch client of opts.
func newClient(opts Options) (*elasticsearch.Client, error) {
	es, err := elasticsearch.NewClient(elasticsearch.Config{
		Addresses: opts.URLs,
		Username:  opts.Username,
		Password:  opts.Password,
		APIKey:    opts.APIKey,
	})
	if err != nil {
		return nil, fmt.Errorf("creating Elasticsearch client: %w", err)
	}
	return es, nil
}

// Alias returns the alias that reads and writes go through.
func (ix *Index) Alias() string { return ix.alias }

// concreteIndex is the index behind the alias.
func (ix *Index) concreteIndex() string { return fmt.Sprintf("%s-v%d", ix.alias, schemaVersion) }

// templateName names the index template this code owns.
func (ix *Index) templateName() string { return ix.alias + "-template" }

// ensureIndex installs (or updates) the template, then creates the concrete
// index with the alias unless the alias already exists.
func (ix *Index) ensureIndex(ctx context.Context) error {
	body, err := json.Marshal(indexTemplate(ix.alias, ix.analyzer))
	if err != nil {
		return fmt.Errorf("encoding index template: %w", err)
	}
	res, err := ix.es.Indices.PutIndexTemplate(ix.templateName(), bytes.NewReader(body),
		ix.es.Indices.PutIndexTemplate.WithContext(ctx))
	if err := check(res, err); err != nil {
		return fmt.Errorf("installing index template %s: %w", ix.templateName(), err)
	}
	drain(res.Body)

	res, err = ix.es.Indices.ExistsAlias([]string{ix.alias}, ix.es.Indices.ExistsAlias.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("checking alias %s: %w", ix.alias, err)
	}
	drain(res.Body)
	switch res.StatusCode {
	case http.StatusOK:
		return nil
	case http.StatusNotFound:
	default:
		return fmt.Errorf("checking alias %s: status %s", ix.alias, res.Status())
	}

	create := fmt.Sprintf(`{"aliases":{%q:{"is_write_index":true}}}`, ix.alias)
	res, err = ix.es.Indices.Create(ix.concreteIndex(),
		ix.es.Indices.Create.WithBody(strings.NewReader(create)),
		ix.es.Indices.Create.WithWaitForActiveShards("1"),
		ix.es.Indices.Create.WithContext(ctx))
	err = check(res, err)
	var esErr *Error
	switch {
	case err == nil:
		drain(res.Body)
		ix.log.Info("created index", "index", ix.concreteIndex(), "alias", ix.alias, "analyzer", ix.analyzer)
		return nil
	case errors.As(err, &esErr) && esErr.Type == "resource_already_exists_exception":
		// The index exists without the alias (another process won the race
		// between our check and create, or someone removed the alias).
		res, err = ix.es.Indices.PutAlias([]string{ix.concreteIndex()}, ix.alias,
			ix.es.Indices.PutAlias.WithContext(ctx))
		if err := check(res, err); err != nil {
			return fmt.Errorf("adding alias %s to %s: %w", ix.alias, ix.concreteIndex(), err)
		}
		drain(res.Body)
		return nil
	default:
		return fmt.Errorf("creating index %s: %w", ix.concreteIndex(), err)
	}
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
		return fmt.Errorf("checking cluster health: status %s", body.Status)
	}
	return nil
}

// Ping reports whether the cluster answers and the index is at least yellow.
func (ix *Index) Ping(ctx context.Context) error {
	return ix.health(ctx, ix.alias, 0)
}

// Get returns the stored article with the given ID, or an error wrapping
// indexer.ErrNotFound.
func (ix *Index) Get(ctx context.Context, id string) (news.Article, error) {
	if id == "" {
		return news.Article{}, fmt.Errorf("getting article with empty ID: %w", indexer.ErrNotFound)
	}
	// esapi puts the ID in the path as it is: escape it, or an ID like
	// "../_search" or "a?b" would address something else.
	res, err := ix.es.Get(ix.alias, url.PathEscape(id), ix.es.Get.WithContext(ctx))
	if err != nil {
		return news.Article{}, fmt.Errorf("getting article %s: %w", id, err)
	}
	defer drain(res.Body)
	if res.StatusCode == http.StatusNotFound {
		return news.Article{}, fmt.Errorf("getting article %s: %w", id, indexer.ErrNotFound)
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

// Close releases the client's connections.
func (ix *Index) Close() error {
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
