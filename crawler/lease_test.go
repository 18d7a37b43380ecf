package crawler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptedLease is a Lease whose Renew answers from a script: the errors
// in renewErrs one after the other (the last one for ever if forever is
// set), then success.
type scriptedLease struct {
	mu         sync.Mutex
	renewErrs  []error
	forever    bool
	tries      int // Renew calls
	renewed    int // successful Renews
	releaseErr error
	ok         chan struct{} // closed at the first successful Renew
	once       sync.Once
}

func newScriptedLease(errs ...error) *scriptedLease {
	return &scriptedLease{renewErrs: errs, ok: make(chan struct{})}
}

func (l *scriptedLease) Renew(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tries++
	if len(l.renewErrs) > 0 {
		err := l.renewErrs[0]
		if len(l.renewErrs) > 1 || !l.forever {
			l.renewErrs = l.renewErrs[1:]
		}
		return err
	}
	l.renewed++
	l.once.Do(func() { close(l.ok) })
	return nil
}

func (l *scriptedLease) Release(context.Context) error { return l.releaseErr }

func (l *scriptedLease) counts() (tries, renewed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.tries, l.renewed
}

// scriptedLeaser hands out its lease, or says holder holds it when the
// lease is nil.
type scriptedLeaser struct {
	lease  *scriptedLease
	holder Holder
}

func (l *scriptedLeaser) Acquire(context.Context, string, time.Duration) (Lease, string, error) {
	if l.lease == nil {
		return nil, l.holder.Instance, nil
	}
	return l.lease, "", nil
}

func (l *scriptedLeaser) LeaseHolder(context.Context, string) (Holder, bool, error) {
	return l.holder, l.lease == nil, nil
}

var errOutage = errors.New("nats: no response from stream")

type lostErr struct{}

func (lostErr) Error() string   { return "lease lost" }
func (lostErr) LeaseLost() bool { return true }

// leaseLogBuffer is a log destination safe for the pass's goroutines.
type leaseLogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *leaseLogBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *leaseLogBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// leasedCrawl runs one pass over a one-source site whose seed page is
// answered only once gate is closed (nil: at once) or the request ends.
func leasedCrawl(t *testing.T, leaser Leaser, ttl time.Duration, gate <-chan struct{}) (Summary, string, error) {
	t.Helper()
	site := newSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			if gate != nil {
				select {
				case <-gate:
				case <-r.Context().Done():
					return
				}
			}
			listing("/news/a")(w, r)
		},
		"/news/a": story("A", ""),
	})
	var logs leaseLogBuffer
	opts := testOptions()
	opts.Leaser, opts.LeaseTTL = leaser, ttl
	opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	sum, _, _, err := crawl(t, opts, Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	return sum, logs.String(), err
}

func TestFailedLeaseRenewalIsRetriedWhileTheLeaseLasts(t *testing.T) {
	// Three renewals fail, as through a leader election; the fourth works.
	lease := newScriptedLease(errOutage, errOutage, errOutage)
	// The seed page is answered only after a renewal got through, so the
	// pass is running all along.
	sum, logs, err := leasedCrawl(t, &scriptedLeaser{lease: lease}, 1200*time.Millisecond, lease.ok)
	if err != nil {
		t.Fatalf("pass failed after renewals that failed and then worked: %v\n%s", err, logs)
	}
	if sum.Articles != 1 {
		t.Errorf("summary %s, want the article", sum)
	}
	if tries, renewed := lease.counts(); tries < 4 || renewed < 1 {
		t.Errorf("Renew called %d times with %d successes, want the 3 failures retried", tries, renewed)
	}
}

func TestLeaseThatCannotBeRenewedIsGivenUpBeforeItExpires(t *testing.T) {
	lease := newScriptedLease(errOutage)
	lease.forever = true
	never := make(chan struct{})
	_, logs, err := leasedCrawl(t, &scriptedLeaser{lease: lease}, 600*time.Millisecond, never)
	if err == nil || !strings.Contains(err.Error(), "renewing lease of source daily") || !errors.Is(err, errOutage) {
		t.Fatalf("pass error %v, want the renewal failure of source daily\n%s", err, logs)
	}
	if tries, _ := lease.counts(); tries < 2 {
		t.Errorf("Renew called %d times, want retries before giving up", tries)
	}
}

func TestLostLeaseEndsThePassWithoutRetries(t *testing.T) {
	lease := newScriptedLease(lostErr{})
	lease.forever = true
	never := make(chan struct{})
	_, logs, err := leasedCrawl(t, &scriptedLeaser{lease: lease}, 600*time.Millisecond, never)
	if err == nil || !strings.Contains(err.Error(), "lease lost") {
		t.Fatalf("pass error %v, want the lost lease\n%s", err, logs)
	}
	if tries, _ := lease.counts(); tries != 1 {
		t.Errorf("Renew called %d times, want 1: a lost lease is not retried", tries)
	}
}

func TestFailedLeaseReleaseIsLogged(t *testing.T) {
	lease := newScriptedLease()
	lease.releaseErr = errors.New("nats: timeout")
	_, logs, err := leasedCrawl(t, &scriptedLeaser{lease: lease}, time.Minute, nil)
	if err != nil {
		t.Fatalf("pass: %v", err)
	}
	for _, want := range []string{"releasing a source lease failed", "source=daily", "nats: timeout"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log does not say %q:\n%s", want, logs)
		}
	}
}

func TestLeaseWhoseHolderStoppedRenewingIsReportedAsStale(t *testing.T) {
	now := time.Now()
	leaser := &scriptedLeaser{holder: Holder{Instance: "crawler-x", Renewed: now.Add(-95 * time.Second), Expires: now.Add(25 * time.Second)}}
	sum, logs, err := leasedCrawl(t, leaser, 2*time.Minute, nil)
	if err != nil {
		t.Fatalf("pass: %v", err)
	}
	if !sum.AllLeased || sum.Leased != 1 || sum.Pages != 0 {
		t.Errorf("summary %s (AllLeased %v), want nothing crawled, every source leased", sum, sum.AllLeased)
	}
	// 95 s and 25 s when the pass takes less than a second to get there.
	want := regexp.MustCompile(`lease on source daily held by crawler-x, last renewed 9\ds ago \(stale, expires in 2\ds\)`)
	if !want.MatchString(logs) {
		t.Errorf("log does not match %q:\n%s", want, logs)
	}

	// A holder that renews on time is busy crawling, not stale.
	leaser.holder.Renewed = time.Now().Add(-10 * time.Second)
	if _, logs, _ := leasedCrawl(t, leaser, 2*time.Minute, nil); strings.Contains(logs, "stale") || !strings.Contains(logs, "crawler-x") {
		t.Errorf("a live holder's lease: log %s, want it named and not called stale", logs)
	}
}
