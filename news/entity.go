package news

// EntityKind says what an entity is. The kinds are part of the event
// contract; a consumer must ignore kinds it does not know.
type EntityKind string

// The entity kinds the parser finds.
const (
	// EntityOrg is a company, regulator, court, agency or other body.
	EntityOrg EntityKind = "org"
	// EntityPerson is a named person.
	EntityPerson EntityKind = "person"
	// EntityMoney is an amount of money as written ("$284 million").
	EntityMoney EntityKind = "money"
)

// Entity is something named in a story: who acts in it and how much money is
// at stake, so that a desk can filter and alert on them without rereading
// the text. Found by rules, not a model: expect misses and some noise.
type Entity struct {
	// Name is the name as written in the story, white space normalised
	// (for money, the amount with its currency as written).
	Name string     `json:"name"`
	Kind EntityKind `json:"kind"`
	// Count is how often the title and text mention it (at least 1): a
	// rough measure of how central it is to the story.
	Count int `json:"count"`
}
