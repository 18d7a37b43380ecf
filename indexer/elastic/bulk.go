package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	"newsdesk/indexer"
)

// bulkWorkers is how many bulk requests one Store sends at once: a batch
// under FlushBytes goes as bulkWorkers requests of about equal size, in
// parallel. Elasticsearch runs one bulk request on one write thread, so a
// single request leaves the other cores of a node idle while a Store waits
// for it. Two took batches of 500 from 1,480 to 1,730 docs/s through Store
// on a 2-core node; BenchmarkIndexThroughput's raw load runs the bulk
// helper's default of a worker per core, 2 there too. A batch of fewer
// than minSplitDocs docs goes as one request: splitting it saves nothing.
const (
	bulkWorkers  = 2
	minSplitDocs = 100
)

// bulkFilter is the part of a bulk answer Store reads (filter_path): each
// item's status and error. The whole answer (index, id, version, shards
// of every item) was about a third of the bytes decoded per document.
var bulkFilter = []string{"items.*.status", "items.*.error"}

// bulkBuffers keeps request bodies from one Store to the next. The
// client's bulk helper made a FlushBytes buffer per worker per Store (10
// MiB a batch, cleared and mostly unused): about 4 µs a document of
// clearing memory, and garbage to collect.
var bulkBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// bulk sends the docs at indices idx in bulk requests of at most
// ix.flushBytes (a doc larger than that goes alone), bulkWorkers at once
// for a batch of minSplitDocs or more, and records each outcome in errs,
// and in wrote whether the doc was written (not refused, nor stale).
func (ix *Index) bulk(ctx context.Context, docs []*indexer.Document, idx []int, errs []error, wrote []bool) {
	res := &bulkResults{errs: errs, wrote: wrote, done: make([]bool, len(docs))}
	workers := 1
	if len(idx) >= minSplitDocs {
		workers = bulkWorkers
	}
	var wg sync.WaitGroup
	for w := range workers {
		part := idx[w*len(idx)/workers : (w+1)*len(idx)/workers]
		wg.Go(func() { ix.bulkPart(ctx, docs, part, res) })
	}
	wg.Wait()
	res.finish(idx)
}

// bulkPart encodes the docs at indices part into one pooled buffer and
// sends them, in as many requests as ix.flushBytes asks.
func (ix *Index) bulkPart(ctx context.Context, docs []*indexer.Document, part []int, res *bulkResults) {
	buf := bulkBuffers.Get().(*bytes.Buffer)
	defer func() {
		// A buffer grown by an outsized doc is left to the collector.
		if buf.Cap() <= 2*ix.flushBytes {
			buf.Reset()
			bulkBuffers.Put(buf)
		}
	}()
	buf.Reset()
	enc := json.NewEncoder(buf) // Encode is Marshal plus the newline the bulk format ends a line with
	var sent []int              // the docs in buf, in order
	for _, i := range part {
		mark := buf.Len()
		appendAction(buf, docs[i])
		r := docs[i].Record(true) // the _source: bands included
		if err := enc.Encode(&r); err != nil {
			buf.Truncate(mark)
			res.fail(i, fmt.Errorf("encoding article %s: %w", docs[i].ID, err))
			continue
		}
		if mark > 0 && buf.Len() >= ix.flushBytes {
			// This doc would take the request past FlushBytes: send what
			// came before it, then start the next request with it.
			ix.sendBulk(ctx, buf.Bytes()[:mark], docs, sent, res)
			n := copy(buf.Bytes(), buf.Bytes()[mark:])
			buf.Truncate(n)
			sent = sent[:0]
		}
		sent = append(sent, i)
	}
	if len(sent) > 0 {
		ix.sendBulk(ctx, buf.Bytes(), docs, sent, res)
	}
}

// appendAction writes the action line of d: index it under its id,
// versioned externally by its revision (indexer.Revision), so
// Elasticsearch keeps the higher revision.
func appendAction(buf *bytes.Buffer, d *indexer.Document) {
	buf.WriteString(`{"index":{"_id":`)
	appendJSONString(buf, d.ID)
	buf.WriteString(`,"version":`)
	var num [20]byte
	buf.Write(strconv.AppendInt(num[:0], indexer.Revision(d.Article), 10))
	buf.WriteString(`,"version_type":"external_gte"}}` + "\n")
}

// appendJSONString writes s as a JSON string: as it is when it needs no
// escaping (article ids are hex), else as encoding/json writes it.
func appendJSONString(buf *bytes.Buffer, s string) {
	plain := utf8.ValidString(s)
	for i := 0; plain && i < len(s); i++ {
		c := s[i]
		plain = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c < utf8.RuneSelf
	}
	if plain {
		buf.WriteByte('"')
		buf.WriteString(s)
		buf.WriteByte('"')
		return
	}
	b, _ := json.Marshal(s) // a string always encodes
	buf.Write(b)
}

// bulkAnswer is what sendBulk reads of a bulk answer (see bulkFilter):
// every action is an index.
type bulkAnswer struct {
	Items []struct {
		Index bulkItem `json:"index"`
	} `json:"items"`
}

// bulkItem is the answer to one doc.
type bulkItem struct {
	Status int `json:"status"`
	Error  struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
		Cause  struct {
			Type   string `json:"type"`
			Reason string `json:"reason"`
		} `json:"caused_by"`
	} `json:"error"`
}

// requireAlias makes a bulk request write through the alias only: a
// missing alias must fail, not auto-create an index with a dynamic mapping
// under its name.
var requireAlias = true

// sendBulk sends body, the action and source lines of docs at indices
// sent, and records the outcome of each. A request that fails as a whole
// (after the transport's own retries) is the error of each of its docs.
func (ix *Index) sendBulk(ctx context.Context, body []byte, docs []*indexer.Document, sent []int, res *bulkResults) {
	req := esapi.BulkRequest{Index: ix.WriteAlias(), Body: bytes.NewReader(body), RequireAlias: &requireAlias,
		FilterPath: bulkFilter}
	resp, err := req.Do(ctx, ix.es)
	if err == nil {
		defer drain(resp.Body)
		if resp.IsError() {
			err = fmt.Errorf("%s", resp.String())
		}
	}
	var answer bulkAnswer
	if err == nil {
		if derr := json.NewDecoder(resp.Body).Decode(&answer); derr != nil {
			err = fmt.Errorf("error parsing response body: %w", derr)
		}
	}
	if err != nil {
		err = fmt.Errorf("flush: %w", err)
		res.setFlushErr(err)
		for _, i := range sent {
			res.fail(i, fmt.Errorf("indexing article %s: %w", docs[i].ID, err))
		}
		return
	}
	// Items answer the actions in order; one missing is answered by finish.
	for k, item := range answer.Items[:min(len(answer.Items), len(sent))] {
		i, r := sent[k], item.Index
		switch {
		case r.Error.Type == "" && r.Status <= http.StatusCreated:
			res.succeed(i, true)
		case r.Status == http.StatusConflict && r.Error.Type == "version_conflict_engine_exception":
			// A newer revision is stored: this one is stale, and keeping
			// the newer is exactly what was asked.
			ix.log.Debug("stale revision ignored", "id", docs[i].ID, "revision", strconv.FormatInt(indexer.Revision(docs[i].Article), 10))
			res.succeed(i, false)
		default:
			err := newError(r.Status, esCause{Type: r.Error.Type, Reason: r.Error.Reason,
				CausedBy: &esCause{Type: r.Error.Cause.Type, Reason: r.Error.Cause.Reason}})
			res.fail(i, fmt.Errorf("indexing article %s: %w", docs[i].ID, err))
		}
	}
}
