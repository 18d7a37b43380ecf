package testenv

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDropElasticsearchIndexLeavesNothing checks that the cleanup removes
// the first index, a reindex's index the alias moved to, an index a failed
// reindex left behind, and the template, and leaves another alias's index.
func TestDropElasticsearchIndexLeavesNothing(t *testing.T) {
	esURL := ElasticsearchURL(t)
	alias := fmt.Sprintf("newsdesk-cleanup-%d", time.Now().UnixNano())
	other := alias + "x" // "<alias>x-v2" is not the alias's
	t.Cleanup(func() { DropElasticsearchIndex(t, esURL, other) })
	put := func(path, body string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPut, esURL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("PUT %s: %s", path, res.Status)
		}
	}
	put("/_index_template/"+alias+"-template", fmt.Sprintf(`{"index_patterns":[%q]}`, alias+"-v*"))
	put("/"+alias+"-v2", `{}`)
	put("/"+alias+"-v2-20260101t000000000", fmt.Sprintf(`{"aliases":{%q:{}}}`, alias))
	put("/"+alias+"-v2-20260102t000000000", `{}`)
	put("/"+other+"-v2", `{}`)

	DropElasticsearchIndex(t, esURL, alias)

	ctx := context.Background()
	for _, path := range []string{"/" + alias + "-v2", "/" + alias + "-v2-20260101t000000000", "/" + alias + "-v2-20260102t000000000", "/_index_template/" + alias + "-template"} {
		res := esDo(ctx, t, http.MethodHead, esURL+path)
		if res != nil {
			res.Body.Close()
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("HEAD %s = %s after the cleanup, want 404", path, res.Status)
			}
		}
	}
	if res := esDo(ctx, t, http.MethodHead, esURL+"/"+other+"-v2"); res != nil {
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s-v2 = %s, want the other alias's index kept", other, res.Status)
		}
	}
}
