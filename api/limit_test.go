package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

// blockingSearcher holds every search until release is closed, telling
// entered when one starts: an index that stopped answering.
type blockingSearcher struct {
	entered chan struct{}
	release chan struct{}
}

func (b *blockingSearcher) Search(ctx context.Context, _ news.Query) (news.Results, error) {
	b.entered <- struct{}{}
	select {
	case <-b.release:
		return news.Results{}, nil
	case <-ctx.Done():
		return news.Results{}, ctx.Err()
	}
}

func (b *blockingSearcher) Related(ctx context.Context, _ string, _ int) (news.Results, error) {
	return b.Search(ctx, news.Query{})
}

// TestConcurrencyLimitShedsWith503 checks that with every search slot
// taken, API and page requests are refused at once with 503 and
// Retry-After, and served again once the slot is free.
func TestConcurrencyLimitShedsWith503(t *testing.T) {
	b := &blockingSearcher{entered: make(chan struct{}, 1), release: make(chan struct{})}
	h := NewWithOptions(b, nil, nil, Options{MaxConcurrent: 1})
	first := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?q=x", nil))
		first <- rec.Code
	}()
	<-b.entered // the slot is taken
	for _, target := range []string{"/api/search?q=y", "/api/articles/abc/related", "/?q=z"} {
		resp := getOrGiveUp(t, h, target)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s while busy: status %d, Retry-After %q", target, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if target == "/?q=z" && !strings.Contains(string(body), "Search is unavailable right now; try again in a minute") {
			t.Errorf("busy page does not say search is unavailable: %s", body)
		}
	}
	close(b.release)
	if code := <-first; code != http.StatusOK {
		t.Errorf("the search that held the slot: status %d", code)
	}
	b.entered = make(chan struct{}, 1)
	if resp := get(t, h, "/api/search?q=again"); resp.StatusCode != http.StatusOK {
		t.Errorf("after the slot was freed: status %d", resp.StatusCode)
	}
}

// getOrGiveUp is get, failing the test when h has not answered in a
// minute: a request that waits for a slot instead of being shed.
func getOrGiveUp(t *testing.T, h http.Handler, target string) *http.Response {
	t.Helper()
	done := make(chan *http.Response, 1)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		done <- rec.Result()
	}()
	select {
	case resp := <-done:
		return resp
	case <-time.After(time.Minute):
		t.Fatalf("%s: no answer while the slot is taken: queued instead of shed", target)
		return nil
	}
}

// TestTimeoutIs504OnAPIAndPage checks that an index that does not answer in
// time is a 504 on both, and the page tells the reader to come back rather
// than to change the query.
func TestTimeoutIs504OnAPIAndPage(t *testing.T) {
	timedOut := &recordingSearcher{err: fmt.Errorf("searching newsdesk-articles: %w", context.DeadlineExceeded)}
	for _, target := range []string{"/api/search?q=x", "/?q=x"} {
		resp := get(t, New(timedOut, nil, nil), target)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusGatewayTimeout {
			t.Errorf("%s: status %d, want 504", target, resp.StatusCode)
		}
		if strings.Contains(string(body), "narrow it down") {
			t.Errorf("%s: blames the query for a timeout: %s", target, body)
		}
		if target == "/?q=x" && !strings.Contains(string(body), "Search is unavailable right now; try again in a minute") {
			t.Errorf("page: %s", body)
		}
	}
}
