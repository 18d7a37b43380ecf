// Package alert evaluates articles against watchlists: each watch is a
// query in the one query language of search (news.ParseQuery: words,
// "phrases", AND, OR, NOT, parentheses, prefix*, source: and the other
// fields), with optional filters on source, topic, language and paywall
// kind. The Matcher compiles every watch once and tokenizes an article
// once, so one article against a thousand watches costs a few map lookups
// per watch. The Alerter is the events.Sink that turns matches into alert
// events.
package alert
