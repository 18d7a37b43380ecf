package crawler

import (
	"net/http"
	"testing"
	"time"
)

// A link that redirects to a story costs no request while the story is
// not due for a revisit, and asks for it conditionally when it is.
func TestRedirectedLinkSkippedUntilItsStoryIsDue(t *testing.T) {
	site := newLiveSite(t)
	site.listing("/", "/old/a")
	site.story("/news/a", "Text of a.")
	served := site.Config.Handler
	site.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/old/a" {
			served.ServeHTTP(w, r)
			return
		}
		site.testSite.mu.Lock()
		site.testSite.requests = append(site.testSite.requests, r.URL.RequestURI())
		site.testSite.mu.Unlock()
		http.Redirect(w, r, "/news/a", http.StatusMovedPermanently)
	})
	c := newClockedCrawl(t, Source{Name: "moved", Seeds: []string{site.URL + "/"}})

	if _, evs := c.at(0); len(evs) != 1 || site.count("/old/a") != 1 || site.count("/news/a") != 1 {
		t.Fatalf("first pass: %d events, /old/a %d, /news/a %d requests; want the story through the redirect",
			len(evs), site.count("/old/a"), site.count("/news/a"))
	}
	// 7 h old: due (every pass while young), then unchanged: next in 2 h.
	c.at(7 * time.Hour)
	if site.count("/old/a") != 2 {
		t.Fatalf("/old/a requested %d times by the due revisit, want 2", site.count("/old/a"))
	}
	if cond, notMod := site.counts("/news/a"); cond != 1 || notMod != 1 {
		t.Errorf("due revisit through the redirect: %d conditional requests, %d 304s; want 1 and 1", cond, notMod)
	}

	sum, _ := c.at(7*time.Hour + 30*time.Minute)
	if n := site.count("/old/a"); n != 2 {
		t.Errorf("/old/a requested %d times in all, want no request while its story is not due", n)
	}
	if n := site.count("/news/a"); n != 2 {
		t.Errorf("/news/a requested %d times in all, want 2", n)
	}
	if sum.Skips.NotDue != 1 {
		t.Errorf("summary %s: want the redirected link skipped as not due", sum)
	}

	c.at(10 * time.Hour) // due again
	if n := site.count("/old/a"); n != 3 {
		t.Errorf("/old/a requested %d times after the story came due, want 3", n)
	}
}
