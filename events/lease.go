package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// leaseRecord is the value of a lease key.
type leaseRecord struct {
	Holder  string    `json:"holder"`
	Expires time.Time `json:"expires"`
}

// Lease is a lease on one name in the crawl state bucket. Every change is a
// compare-and-set on the key's revision, so of two instances racing for a
// lease exactly one wins, and an instance whose lease was taken over learns
// it at its next Renew.
type Lease struct {
	s    *CrawlState
	name string
	ttl  time.Duration
	rev  uint64
}

// ErrLeaseLost is returned by Renew when the lease expired and another
// instance took it (or it was deleted).
var ErrLeaseLost = errors.New("lease lost")

// Acquire takes the lease on name for ttl. When another instance holds an
// unexpired lease it returns a nil Lease and that instance's name. An
// expired lease (its holder crashed or froze) is taken over.
func (s *CrawlState) Acquire(ctx context.Context, name string, ttl time.Duration) (*Lease, string, error) {
	if ttl <= 0 {
		return nil, "", fmt.Errorf("acquiring lease %s: ttl must be positive, got %s", name, ttl)
	}
	val, err := s.record(ttl)
	if err != nil {
		return nil, "", err
	}
	e, err := s.kv.Get(ctx, name)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		rev, err := s.kv.Create(ctx, name, val)
		if errors.Is(err, jetstream.ErrKeyExists) {
			return nil, s.holder(ctx, name), nil // another instance was faster
		}
		if err != nil {
			return nil, "", fmt.Errorf("creating lease %s: %w", name, err)
		}
		return &Lease{s: s, name: name, ttl: ttl, rev: rev}, "", nil
	case err != nil:
		return nil, "", fmt.Errorf("reading lease %s: %w", name, err)
	}
	var cur leaseRecord
	if json.Unmarshal(e.Value(), &cur) == nil && cur.Expires.After(s.now()) {
		return nil, cur.Holder, nil
	}
	rev, err := s.kv.Update(ctx, name, val, e.Revision())
	if err != nil {
		if holder := s.holder(ctx, name); holder != "" {
			return nil, holder, nil // another instance took the expired lease first
		}
		return nil, "", fmt.Errorf("taking over expired lease %s: %w", name, err)
	}
	return &Lease{s: s, name: name, ttl: ttl, rev: rev}, "", nil
}

// Renew extends the lease by its ttl from now. It returns ErrLeaseLost
// when the lease is no longer ours.
func (l *Lease) Renew(ctx context.Context) error {
	val, err := l.s.record(l.ttl)
	if err != nil {
		return err
	}
	rev, err := l.s.kv.Update(ctx, l.name, val, l.rev)
	if err != nil {
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
			apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant) {
			return fmt.Errorf("renewing lease %s: %w", l.name, ErrLeaseLost)
		}
		return fmt.Errorf("renewing lease %s: %w", l.name, err)
	}
	l.rev = rev
	return nil
}

// Release gives the lease up, unless another instance took it meanwhile.
func (l *Lease) Release(ctx context.Context) error {
	if err := l.s.kv.Delete(ctx, l.name, jetstream.LastRevision(l.rev)); err != nil {
		return fmt.Errorf("releasing lease %s: %w", l.name, err)
	}
	return nil
}

func (s *CrawlState) record(ttl time.Duration) ([]byte, error) {
	b, err := json.Marshal(leaseRecord{Holder: s.instance, Expires: s.now().Add(ttl).UTC()})
	if err != nil {
		return nil, fmt.Errorf("encoding lease: %w", err)
	}
	return b, nil
}

// holder is the current holder of a lease, "" when none can be read.
func (s *CrawlState) holder(ctx context.Context, name string) string {
	e, err := s.kv.Get(ctx, name)
	if err != nil {
		return ""
	}
	var cur leaseRecord
	if json.Unmarshal(e.Value(), &cur) != nil {
		return ""
	}
	return cur.Holder
}
