package elastic

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"
)

// Elasticsearch collapses every document without a dup_group into one
// group, so a grouped search over an index holding documents stored before
// grouping existed would show all of them as one hit. Until no such
// document is left (a reindex, or every story stored again), grouped
// searches run ungrouped; the check is repeated at most once a minute.
const groupableRecheck = time.Minute

// groupable remembers whether every document has a syndication group.
type groupable struct {
	mu      sync.Mutex
	ok      bool
	checked time.Time
}

// canGroup reports whether grouped searches can collapse on dup_group.
func (ix *Index) canGroup(ctx context.Context) bool {
	g := ix.groupable
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ok || time.Since(g.checked) < groupableRecheck {
		return g.ok
	}
	g.checked = time.Now()
	body := `{"query":{"bool":{"must_not":{"exists":{"field":"dup_group"}}}}}`
	res, err := ix.es.Count(ix.es.Count.WithContext(ctx), ix.es.Count.WithIndex(ix.alias),
		ix.es.Count.WithBody(strings.NewReader(body)))
	if err := check(res, err); err != nil {
		ix.log.Warn("checking for documents without a syndication group", "err", err)
		return false
	}
	defer drain(res.Body)
	var c struct {
		Count int64 `json:"count"`
	}
	if err := json.NewDecoder(res.Body).Decode(&c); err != nil {
		return false
	}
	if c.Count > 0 {
		ix.log.Warn("documents stored before syndication grouping: searches are not grouped until a reindex",
			"alias", ix.alias, "documents", c.Count)
		return false
	}
	g.ok = true
	return true
}
