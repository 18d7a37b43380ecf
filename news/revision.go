package news

import "strconv"

// What can change between two revisions of an article; the values of
// Article.Changes. They are part of the public event contract.
const (
	ChangeTitle     = "title"
	ChangeAuthors   = "authors"
	ChangePublished = "published"
	ChangeText      = "text"
	ChangePaywall   = "paywall"
)

// revisionSuffix makes the event id of a later revision differ from an
// earlier one with the same content: a story edited from A to B and back to
// A within JetStream's duplicate window must not have its last update
// dropped as a duplicate of the first. The first revision keeps the plain
// id, so a republished first version is still dropped.
func revisionSuffix(rev int) string {
	if rev <= 1 {
		return ""
	}
	return "-r" + strconv.Itoa(rev)
}
