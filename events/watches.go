package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// DefaultWatchBucket is the key-value bucket of the watches saved from the
// search page or the API.
const DefaultWatchBucket = "NEWSDESK_WATCHES"

// Errors of the saved watches.
var (
	ErrWatchExists   = errors.New("a saved watch of this name exists")
	ErrWatchNotFound = errors.New("no saved watch of this name")
)

// SavedWatch is a search saved as an alert: the alerter publishes on
// newsdesk.alert.<Subject> for every article that matches it, as for a
// watch of the config. The fields mean what config.Watch's do.
type SavedWatch struct {
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	Sources   []string  `json:"sources,omitempty"`
	Topics    []string  `json:"topics,omitempty"`
	Languages []string  `json:"languages,omitempty"`
	Paywall   []string  `json:"paywall,omitempty"`
	Subject   string    `json:"subject"`
	Created   time.Time `json:"created"`
}

// Watches is the saved watches in a JetStream key-value bucket, one key per
// name: every alerter on the bus sees a change at once (Watch), without a
// config edit or a restart.
type Watches struct {
	kv jetstream.KeyValue
}

// Watches opens the saved watches' bucket (bucket "" means
// DefaultWatchBucket), creating it when it is missing, as CrawlState does;
// an existing bucket is left as it is.
func (b *Bus) Watches(ctx context.Context, bucket string) (*Watches, error) {
	if bucket == "" {
		bucket = DefaultWatchBucket
	}
	var kv jetstream.KeyValue
	err := retrySetup(ctx, b.retryBudget, func(ctx context.Context) error {
		var err error
		kv, err = b.js.KeyValue(ctx, bucket)
		if !errors.Is(err, jetstream.ErrBucketNotFound) {
			return err
		}
		kv, err = b.js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      bucket,
			Description: "newsdesk watches saved from search",
			History:     1,
			Storage:     jetstream.FileStorage,
			Replicas:    b.defaultReplicas(),
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("opening key-value bucket %s: %w", bucket, err)
	}
	return &Watches{kv: kv}, nil
}

// Create stores w under its name; ErrWatchExists when the name is taken.
func (s *Watches) Create(ctx context.Context, w SavedWatch) error {
	b, err := json.Marshal(w)
	if err != nil {
		return fmt.Errorf("saving watch %s: %w", w.Name, err)
	}
	if _, err := s.kv.Create(ctx, w.Name, b); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			return fmt.Errorf("saving watch %s: %w", w.Name, ErrWatchExists)
		}
		return fmt.Errorf("saving watch %s: %w", w.Name, err)
	}
	return nil
}

// Delete removes the watch name; ErrWatchNotFound when there is none.
func (s *Watches) Delete(ctx context.Context, name string) error {
	if _, err := s.kv.Get(ctx, name); err != nil {
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return fmt.Errorf("deleting watch %s: %w", name, ErrWatchNotFound)
		}
		return fmt.Errorf("deleting watch %s: %w", name, err)
	}
	if err := s.kv.Delete(ctx, name); err != nil {
		return fmt.Errorf("deleting watch %s: %w", name, err)
	}
	return nil
}

// List returns the saved watches by name.
func (s *Watches) List(ctx context.Context) ([]SavedWatch, error) {
	keys, err := s.kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing saved watches: %w", err)
	}
	out := []SavedWatch{}
	for name := range keys.Keys() {
		e, err := s.kv.Get(ctx, name)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue // deleted since it was listed
		}
		if err != nil {
			return nil, fmt.Errorf("reading saved watch %s: %w", name, err)
		}
		var w SavedWatch
		if err := json.Unmarshal(e.Value(), &w); err != nil {
			return nil, fmt.Errorf("reading saved watch %s: %w", name, err)
		}
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b SavedWatch) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Watch calls apply with every saved watch now, and again with all of them
// after each change, until ctx ends. A value that does not decode is
// skipped with its error passed to bad (nil ignores), so one broken entry
// does not stop the others from alerting.
func (s *Watches) Watch(ctx context.Context, apply func([]SavedWatch), bad func(name string, err error)) error {
	kw, err := s.kv.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("watching saved watches: %w", err)
	}
	defer func() { _ = kw.Stop() }()
	current := map[string]SavedWatch{}
	initial := true
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-kw.Updates():
			if !ok {
				return errors.New("watching saved watches: the watcher stopped")
			}
			if e == nil { // the end of the initial values
				initial = false
				apply(sortedWatches(current))
				continue
			}
			if e.Operation() != jetstream.KeyValuePut {
				delete(current, e.Key())
			} else if w, err := decodeWatch(e.Value()); err != nil {
				if bad != nil {
					bad(e.Key(), err)
				}
			} else {
				current[e.Key()] = w
			}
			if !initial {
				apply(sortedWatches(current))
			}
		}
	}
}

func decodeWatch(b []byte) (SavedWatch, error) {
	var w SavedWatch
	err := json.Unmarshal(b, &w)
	return w, err
}

func sortedWatches(m map[string]SavedWatch) []SavedWatch {
	out := make([]SavedWatch, 0, len(m))
	for _, w := range m {
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b SavedWatch) int { return strings.Compare(a.Name, b.Name) })
	return out
}
