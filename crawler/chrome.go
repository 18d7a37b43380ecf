package crawler

import (
	"net/url"
	"strings"
)

// chromeSegments are first path segments of the pages every site has
// around its stories: accounts, company pages, legal notices, shops. They
// are never articles, and their links in an article's header and footer
// were most of a pass's dead requests.
var chromeSegments = map[string]bool{
	"about": true, "about-us": true, "aboutus": true, "account": true, "accounts": true, "my-account": true, "profile": true,
	"login": true, "logout": true, "signin": true, "sign-in": true, "signup": true, "sign-up": true, "register": true, "auth": true,
	"subscribe": true, "subscription": true, "subscriptions": true, "newsletter": true, "newsletters": true,
	"careers": true, "jobs": true, "contact": true, "contact-us": true, "help": true, "faq": true, "support": true, "feedback": true,
	"privacy": true, "privacy-policy": true, "terms": true, "terms-of-service": true, "terms-of-use": true, "tos": true,
	"cookies": true, "cookie-policy": true, "legal": true, "imprint": true, "impressum": true, "accessibility": true,
	"advertise": true, "advertising": true, "shop": true, "store": true, "donate": true, "cart": true, "checkout": true,
}

// isChromeLink reports whether a link (absolute) is to a site-chrome page:
// its first path segment, without an extension, is one of chromeSegments
// (/about, /login.html, /careers/engineering).
func isChromeLink(link string) bool {
	u, err := url.Parse(link)
	if err != nil {
		return false
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	first, _, _ = strings.Cut(strings.ToLower(first), ".")
	return chromeSegments[first]
}
