package news

import (
	"strings"
	"unicode"
)

// NoTopic is the topic token of an article without topics.
const NoTopic = "none"

// Subject roots of the other event families; each has its own JetStream
// stream, so no stream captures another's subjects.
const (
	// AlertSubjects covers every alert: newsdesk.alert.<watch subject>.
	AlertSubjects = SubjectRoot + ".alert.>"
	// DeadLetterSubjects covers every dead letter:
	// newsdesk.dlq.<consumer name>.
	DeadLetterSubjects = SubjectRoot + ".dlq.>"
)

// TopicToken is the subject token of an article's topics: the first (the
// primary topic, as the classifier orders them) made safe for a subject,
// or NoTopic when there is none. Only the primary topic is in the subject,
// so each event is published once; every topic is in the data.
func TopicToken(topics []string) string {
	for _, t := range topics {
		if tok := subjectToken(t); tok != "" {
			return tok
		}
	}
	return NoTopic
}

// subjectToken lower-cases s and keeps letters (any script), digits and _,
// turning runs of anything else into one "-": "Data Protection" ->
// "data-protection". The result never holds a dot, space or wildcard.
func subjectToken(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// ValidSubjectSuffix reports whether s can follow a subject root: one or
// more tokens of lower-case letters, digits, - and _, separated by dots.
// Watches name their alert subject with it.
func ValidSubjectSuffix(s string) bool {
	if s == "" {
		return false
	}
	for tok := range strings.SplitSeq(s, ".") {
		if !sourceToken.MatchString(tok) {
			return false
		}
	}
	return true
}

// AlertSubject is the subject of an alert of a watch with the given
// subject suffix: newsdesk.alert.<suffix>.
func AlertSubject(suffix string) string { return SubjectRoot + ".alert." + suffix }

// DeadLetterSubject is where a consumer puts the events it gives up on:
// newsdesk.dlq.<consumer>.
func DeadLetterSubject(consumer string) string { return SubjectRoot + ".dlq." + consumer }
