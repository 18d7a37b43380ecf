package elastic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"newsdesk/indexer"
	"newsdesk/news"
)

// Reindex is the Elasticsearch indexer.Rebuilder: a new concrete index
// beside the live one, to be filled by replaying the event stream (see
// indexer.Reindex for the procedure), then swapped in under the aliases:
//
//  1. BeginReindex creates "<alias>-v<schema>-<UTC time, ms>" from the current
//     template (mapping, analyzer) and gives it the staging aliases
//     "<alias>-reindex" (read) and "<alias>-reindex-write" (write). The live
//     aliases stay where they are: searches and the live indexer keep using
//     the old index, and an article indexed meanwhile is searchable at once.
//  2. The replay stores through Reindex.Store into the new index.
//  3. Swap moves the read and write aliases to the new index and drops the
//     staging ones in one _aliases request, so no search or write ever sees
//     neither or both.
//  4. indexer.Reindex replays once more, up to the stream's end after the swap:
//     that picks up every event the live indexer wrote into the old index
//     during the replay. External versioning by revision keeps a replayed
//     older event from replacing a newer document the live indexer wrote.
//
// The old index is kept until DeleteOld.
type Reindex struct {
	ix      *Index // the live index
	staging *Index // ix with the staging aliases, for Store
	Old     string // the index behind the write alias at the start
	New     string // the index being built
}

// BeginReindex creates the new index and its staging aliases. It fails when
// the write alias is missing or spans several indices, or when a staging
// alias exists already (another reindex runs, or one was interrupted: its
// error names the index to delete).
func (ix *Index) BeginReindex(ctx context.Context) (*Reindex, error) {
	staging := *ix
	staging.alias = ix.alias + "-reindex"
	staging.pending = newPendingWrites(&staging, ix.pending.interval)
	behind, err := ix.aliasIndices(ctx, staging.alias)
	if err != nil {
		return nil, err
	}
	if len(behind) > 0 {
		return nil, fmt.Errorf("starting reindex: alias %s exists on %s: another reindex is running, or one was interrupted (delete that index to start over)",
			staging.alias, strings.Join(behind, ", "))
	}
	old, err := ix.aliasIndices(ctx, ix.WriteAlias())
	if err != nil {
		return nil, err
	}
	if len(old) != 1 {
		return nil, fmt.Errorf("starting reindex: write alias %s is on %d indices %v, want 1", ix.WriteAlias(), len(old), old)
	}
	now := time.Now().UTC()
	name := fmt.Sprintf("%s-v%d-%s%03d", ix.alias, schemaVersion, now.Format("20060102t150405"), now.Nanosecond()/1e6)
	create := fmt.Sprintf(`{"aliases":{%q:{},%q:{"is_write_index":true}}}`, staging.alias, staging.WriteAlias())
	res, err := ix.es.Indices.Create(name,
		ix.es.Indices.Create.WithBody(strings.NewReader(create)),
		ix.es.Indices.Create.WithWaitForActiveShards("1"),
		ix.es.Indices.Create.WithContext(ctx))
	if err := check(res, err); err != nil {
		return nil, fmt.Errorf("creating index %s: %w", name, err)
	}
	drain(res.Body)
	ix.log.Info("reindex: created index", "index", name, "old", old[0], "analyzer", ix.analyzer)
	return &Reindex{ix: ix, staging: &staging, Old: old[0], New: name}, nil
}

// Store writes docs into the new index, with the same versioning and
// retries as Index.Store.
func (r *Reindex) Store(ctx context.Context, docs []news.Article) []error {
	return r.staging.Store(ctx, docs)
}

// Count returns how many documents index holds, after a refresh.
func (r *Reindex) Count(ctx context.Context, index string) (int64, error) {
	es := r.ix.es
	res, err := es.Indices.Refresh(es.Indices.Refresh.WithIndex(index), es.Indices.Refresh.WithContext(ctx))
	if err := check(res, err); err != nil {
		return 0, fmt.Errorf("refreshing %s: %w", index, err)
	}
	drain(res.Body)
	res, err = es.Count(es.Count.WithIndex(index), es.Count.WithContext(ctx))
	if err := check(res, err); err != nil {
		return 0, fmt.Errorf("counting %s: %w", index, err)
	}
	defer drain(res.Body)
	var body struct {
		Count int64 `json:"count"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		return 0, fmt.Errorf("decoding count of %s: %w", index, err)
	}
	return body.Count, nil
}

// Swap points the read and write aliases at the new index and removes the
// staging aliases, in one atomic _aliases request. The read alias leaves
// every index it was on. Store the rest through the live Index.
func (r *Reindex) Swap(ctx context.Context) error {
	r.staging.pending.close() // its refreshes go to a staging alias
	ix := r.ix
	read, err := ix.aliasIndices(ctx, ix.alias)
	if err != nil {
		return err
	}
	var actions []obj
	for _, old := range read {
		actions = append(actions, obj{"remove": obj{"index": old, "alias": ix.alias}})
	}
	actions = append(actions,
		obj{"remove": obj{"index": r.Old, "alias": ix.WriteAlias()}},
		obj{"remove": obj{"index": r.New, "alias": r.staging.alias}},
		obj{"remove": obj{"index": r.New, "alias": r.staging.WriteAlias()}},
		obj{"add": obj{"index": r.New, "alias": ix.alias}},
		obj{"add": obj{"index": r.New, "alias": ix.WriteAlias(), "is_write_index": true}},
	)
	body, err := json.Marshal(obj{"actions": actions})
	if err != nil {
		return fmt.Errorf("encoding alias swap: %w", err)
	}
	res, err := ix.es.Indices.UpdateAliases(strings.NewReader(string(body)), ix.es.Indices.UpdateAliases.WithContext(ctx))
	if err := check(res, err); err != nil {
		return fmt.Errorf("moving aliases %s and %s from %s to %s: %w", ix.alias, ix.WriteAlias(), r.Old, r.New, err)
	}
	drain(res.Body)
	ix.log.Info("reindex: aliases moved", "from", r.Old, "to", r.New)
	return nil
}

// Abort deletes the new index (and with it the staging aliases), for a
// reindex that failed or was cancelled before Swap. It runs even when ctx
// was cancelled.
func (r *Reindex) Abort(ctx context.Context) error {
	r.staging.pending.close()
	return r.ix.deleteIndex(context.WithoutCancel(ctx), r.New)
}

// DeleteOld deletes the index the aliases left. Call it after Swap.
func (r *Reindex) DeleteOld(ctx context.Context) error {
	return r.ix.deleteIndex(ctx, r.Old)
}

// deleteIndex deletes one concrete index; a missing one is not an error.
func (ix *Index) deleteIndex(ctx context.Context, name string) error {
	res, err := ix.es.Indices.Delete([]string{name}, ix.es.Indices.Delete.WithContext(ctx))
	if err == nil && res.StatusCode == http.StatusNotFound {
		drain(res.Body)
		return nil
	}
	if err := check(res, err); err != nil {
		var esErr *Error
		if errors.As(err, &esErr) && esErr.Type == "index_not_found_exception" {
			return nil
		}
		return fmt.Errorf("deleting index %s: %w", name, err)
	}
	drain(res.Body)
	return nil
}

// BeginRebuild is BeginReindex for indexer.Reindex.
func (ix *Index) BeginRebuild(ctx context.Context) (indexer.Rebuilder, error) {
	return ix.BeginReindex(ctx)
}

// Names are the index being replaced and the one being built.
func (r *Reindex) Names() (old, new string) { return r.Old, r.New }

// Aliases are the live read and write aliases, which Swap moves.
func (r *Reindex) Aliases() (read, write string) { return r.ix.Alias(), r.ix.WriteAlias() }
