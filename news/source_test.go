package news

import (
	"slices"
	"testing"
)

// The crawler and the parser's per-site rules both ask SourceHosts which
// hosts a source covers: the allowed domains when there are any (as
// written in any case), else the hosts of its URLs, without port, once.
func TestSourceHosts(t *testing.T) {
	urls := []string{"https://WWW.Example.com:8443/news", " https://feeds.example.com/rss ", "https://www.example.com/sitemap.xml", "not a url", "/relative"}
	if got, want := SourceHosts(nil, urls), []string{"www.example.com", "feeds.example.com"}; !slices.Equal(got, want) {
		t.Errorf("hosts of the URLs = %q, want %q", got, want)
	}
	if got, want := SourceHosts([]string{"Example.com", " cdn.example.com", "example.com", ""}, urls), []string{"example.com", "cdn.example.com"}; !slices.Equal(got, want) {
		t.Errorf("allowed domains = %q, want %q", got, want)
	}
	if got := SourceHosts([]string{" "}, []string{"https://a.example/"}); !slices.Equal(got, []string{"a.example"}) {
		t.Errorf("blank allowed domain: %q, want the URLs' hosts", got)
	}
}
