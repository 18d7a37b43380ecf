package events

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// leaseRecord is the value of a lease key. Renewed is when the holder last
// wrote it, so another instance can tell a holder that stopped renewing
// (crashed, frozen, cut off) from one that is busy crawling.
type leaseRecord struct {
	Holder  string    `json:"holder"`
	Renewed time.Time `json:"renewed,omitzero"`
	Expires time.Time `json:"expires"`
}

// LeaseHolder is who holds a lease, as its value says.
type LeaseHolder struct {
	Instance string
	// Renewed is when the holder last took or renewed the lease; zero when
	// an older version wrote it.
	Renewed time.Time
	// Expires is when the lease ends unless renewed.
	Expires time.Time
}

// Lease is a lease on one name in the crawl state bucket. Every change is a
// compare-and-set on the key's revision, so of two instances racing for a
// lease exactly one wins, and an instance whose lease was taken over learns
// it at its next Renew.
//
// Every operation is retried with backoff through a leader election or a
// server restart, within the bus's retry budget. A retried write whose
// first try did land is recognised by its value (holder and renewal time),
// so a lost reply is not mistaken for a lost lease.
type Lease struct {
	s    *CrawlState
	name string
	ttl  time.Duration
	rev  uint64
}

// ErrLeaseLost is returned by Renew when the lease expired and another
// instance took it (or it was deleted).
var ErrLeaseLost error = leaseLostError{}

type leaseLostError struct{}

func (leaseLostError) Error() string { return "lease lost" }

// LeaseLost lets a caller that cannot import this package (the crawler)
// tell a lost lease from a failed renewal.
func (leaseLostError) LeaseLost() bool { return true }

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
	e, err := s.get(ctx, name)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		rev, err := s.write(ctx, name, val, 0)
		if errors.Is(err, jetstream.ErrKeyExists) || isWrongSequence(err) {
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
	rev, err := s.write(ctx, name, val, e.Revision())
	if err != nil {
		if holder := s.holder(ctx, name); holder != "" {
			return nil, holder, nil // another instance took the expired lease first
		}
		return nil, "", fmt.Errorf("taking over expired lease %s: %w", name, err)
	}
	return &Lease{s: s, name: name, ttl: ttl, rev: rev}, "", nil
}

// LeaseHolder reads who holds the lease on name; found is false when no
// one does.
func (s *CrawlState) LeaseHolder(ctx context.Context, name string) (h LeaseHolder, found bool, err error) {
	e, err := s.get(ctx, name)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return LeaseHolder{}, false, nil
	}
	if err != nil {
		return LeaseHolder{}, false, fmt.Errorf("reading lease %s: %w", name, err)
	}
	var cur leaseRecord
	if err := json.Unmarshal(e.Value(), &cur); err != nil {
		return LeaseHolder{}, false, fmt.Errorf("reading lease %s: %w", name, err)
	}
	return LeaseHolder{Instance: cur.Holder, Renewed: cur.Renewed, Expires: cur.Expires}, true, nil
}

// Renew extends the lease by its ttl from now. It returns ErrLeaseLost
// when the lease is no longer ours.
func (l *Lease) Renew(ctx context.Context) error {
	val, err := l.s.record(l.ttl)
	if err != nil {
		return err
	}
	rev, err := l.s.write(ctx, l.name, val, l.rev)
	if isWrongSequence(err) {
		return fmt.Errorf("renewing lease %s: %w", l.name, ErrLeaseLost)
	}
	if err != nil {
		return fmt.Errorf("renewing lease %s: %w", l.name, err)
	}
	l.rev = rev
	return nil
}

// Release gives the lease up, unless another instance took it meanwhile.
func (l *Lease) Release(ctx context.Context) error {
	err := retry(ctx, l.s.retryBudget(), func(ctx context.Context) error {
		return l.s.kv.Delete(ctx, l.name, jetstream.LastRevision(l.rev))
	})
	if isWrongSequence(err) {
		// A try whose reply was lost may have deleted it already.
		if _, gerr := l.s.get(ctx, l.name); errors.Is(gerr, jetstream.ErrKeyNotFound) {
			return nil
		}
		return fmt.Errorf("releasing lease %s: %w (another instance holds it now)", l.name, ErrLeaseLost)
	}
	if err != nil {
		return fmt.Errorf("releasing lease %s: %w", l.name, err)
	}
	return nil
}

// write sets name to val if its revision is still rev (0: if it does not
// exist), retrying through outages. A try that fails on the revision after
// an earlier try may have landed counts as success when the key holds val:
// that was our own write.
func (s *CrawlState) write(ctx context.Context, name string, val []byte, rev uint64) (uint64, error) {
	var newRev uint64
	tries := 0
	err := retry(ctx, s.retryBudget(), func(ctx context.Context) error {
		tries++
		var err error
		if rev == 0 {
			newRev, err = s.kv.Create(ctx, name, val)
		} else {
			newRev, err = s.kv.Update(ctx, name, val, rev)
		}
		return err
	})
	if tries > 1 && (isWrongSequence(err) || errors.Is(err, jetstream.ErrKeyExists)) {
		if e, gerr := s.get(ctx, name); gerr == nil && bytes.Equal(e.Value(), val) {
			return e.Revision(), nil
		}
	}
	return newRev, err
}

// get reads name, retrying through outages.
func (s *CrawlState) get(ctx context.Context, name string) (jetstream.KeyValueEntry, error) {
	var e jetstream.KeyValueEntry
	err := retry(ctx, s.retryBudget(), func(ctx context.Context) error {
		var err error
		e, err = s.kv.Get(ctx, name)
		return err
	})
	return e, err
}

// retryBudget is the bus's, or the default for a CrawlState built by hand.
func (s *CrawlState) retryBudget() time.Duration {
	if s.budget > 0 {
		return s.budget
	}
	return DefaultRetryBudget
}

// isWrongSequence reports a compare-and-set that found another revision.
func isWrongSequence(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

func (s *CrawlState) record(ttl time.Duration) ([]byte, error) {
	now := s.now().UTC()
	b, err := json.Marshal(leaseRecord{Holder: s.instance, Renewed: now, Expires: now.Add(ttl)})
	if err != nil {
		return nil, fmt.Errorf("encoding lease: %w", err)
	}
	return b, nil
}

// holder is the current holder of a lease, "" when none can be read.
func (s *CrawlState) holder(ctx context.Context, name string) string {
	h, _, err := s.LeaseHolder(ctx, name)
	if err != nil {
		return ""
	}
	return h.Instance
}
