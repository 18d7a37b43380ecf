package config

import (
	"net/url"
	"regexp"
	"slices"
	"testing"
)

// follows applies a source's filters to a link as the crawler does:
// allowed domains (default: the seeds' hosts), then include, then exclude.
func follows(s Source, raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	domains := s.AllowedDomains
	if len(domains) == 0 {
		for _, seed := range s.Seeds {
			su, _ := url.Parse(seed)
			domains = append(domains, su.Hostname())
		}
	}
	if !slices.Contains(domains, u.Hostname()) {
		return false
	}
	match := func(pat string) bool { return regexp.MustCompile(pat).MatchString(raw) }
	if len(s.Include) > 0 && !slices.ContainsFunc(s.Include, match) {
		return false
	}
	return !slices.ContainsFunc(s.Exclude, match)
}

// TestExampleSourceFilters pins which links the example sources follow:
// story URLs in each publisher's URL shape (the slugs are made up), and not
// tag, author, paging or other publishers' pages.
func TestExampleSourceFilters(t *testing.T) {
	cases := map[string]struct{ follow, skip []string }{
		"therecord": {
			follow: []string{"https://therecord.media/some-data-breach-story"},
			skip: []string{"https://therecord.media/tag/privacy", "https://therecord.media/author/someone",
				"https://therecord.media/some-story?utm_source=x", "https://www.eff.org/deeplinks"},
		},
		"eff-deeplinks": {
			follow: []string{"https://www.eff.org/deeplinks/2025/03/some-privacy-story"},
			skip:   []string{"https://www.eff.org/about", "https://www.eff.org/deeplinks?page=2"},
		},
		"wired-security": {
			follow: []string{"https://www.wired.com/story/some-security-story/"},
			skip:   []string{"https://www.wired.com/tag/privacy/", "https://www.wired.com/author/someone/"},
		},
		"ars-policy": {
			follow: []string{"https://arstechnica.com/tech-policy/2025/03/some-policy-story/",
				"https://arstechnica.com/security/2025/03/some-security-story/"},
			skip: []string{"https://arstechnica.com/gadgets/2025/03/some-phone/",
				"https://arstechnica.com/tech-policy/page/2/", "https://arstechnica.com/author/someone/"},
		},
		"techcrunch-privacy": {
			follow: []string{"https://techcrunch.com/2025/03/14/some-privacy-story/"},
			skip:   []string{"https://techcrunch.com/author/someone/", "https://techcrunch.com/tag/privacy/page/2/"},
		},
		"verge-policy": {
			follow: []string{"https://www.theverge.com/policy/612345/some-policy-story",
				"https://www.theverge.com/2024/5/1/24146000/some-older-story"},
			skip: []string{"https://www.theverge.com/authors/someone", "https://www.theverge.com/policy/archives/2"},
		},
		"iapp": {
			follow: []string{"https://iapp.org/news/a/some-privacy-story"},
			skip:   []string{"https://iapp.org/certify/", "https://iapp.org/news/?page=2"},
		},
		"krebs": {
			follow: []string{"https://krebsonsecurity.com/2025/03/some-story/"},
			skip: []string{"https://krebsonsecurity.com/category/data-breaches/", "https://krebsonsecurity.com/page/2/",
				"https://krebsonsecurity.com/2025/03/some-story/?replytocom=1", "https://krebsonsecurity.com/tag/privacy/"},
		},
		"bleepingcomputer": {
			follow: []string{"https://www.bleepingcomputer.com/news/security/some-breach-story/"},
			skip: []string{"https://www.bleepingcomputer.com/news/security/page/2/",
				"https://www.bleepingcomputer.com/news/microsoft/some-story/"},
		},
	}
	sources := Default().Sources
	for _, s := range sources {
		tc, ok := cases[s.Name]
		if !ok {
			t.Errorf("example source %q has no case here", s.Name)
			continue
		}
		for _, u := range tc.follow {
			if !follows(s, u) {
				t.Errorf("%s: does not follow %s", s.Name, u)
			}
		}
		for _, u := range tc.skip {
			if follows(s, u) {
				t.Errorf("%s: follows %s", s.Name, u)
			}
		}
	}
	if len(sources) != len(cases) {
		t.Errorf("%d example sources, %d cases", len(sources), len(cases))
	}
}
