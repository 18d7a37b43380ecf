package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheckExitsZeroOnlyOn2xx(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); ok && (u != "probe" || p != "s3cret") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()

	if code, _, stderr := runMain(t, "", "healthcheck", srv.URL+"/readyz"); code != exitOK {
		t.Errorf("200: exit %d (%s), want 0", code, stderr)
	}
	status = http.StatusServiceUnavailable
	code, _, stderr := runMain(t, "", "healthcheck", strings.Replace(srv.URL, "http://", "http://probe:s3cret@", 1)+"/readyz")
	if code != exitFailed || !strings.Contains(stderr, "503") {
		t.Errorf("503: exit %d, stderr %q; want 1 naming the status", code, stderr)
	}
	if strings.Contains(stderr, "s3cret") {
		t.Errorf("the password in the URL was printed: %q", stderr)
	}
	srv.Close()
	if code, _, stderr := runMain(t, "", "healthcheck", srv.URL+"/readyz"); code != exitFailed || !strings.Contains(stderr, "no answer") {
		t.Errorf("server down: exit %d, stderr %q; want 1 and no answer", code, stderr)
	}
	if code, _, _ := runMain(t, "", "healthcheck"); code != exitUsage {
		t.Errorf("no URL: exit %d, want 2", code)
	}
}
