package news

import "errors"

// The errors stages answer each other with, checked with errors.Is: they
// are named here so that no stage needs to know another's error types.
var (
	// ErrNotFound is wrapped by the error of an index asked for an article
	// ID it does not hold (Get, Related); the API answers it with 404.
	ErrNotFound = errors.New("article not found")

	// ErrPermanent is matched by the error of a sink that refuses a
	// document for good (a value the mapping cannot take, an ID too
	// long): storing it again fails the same way, so the events consumer
	// dead-letters it on the first delivery instead of retrying it.
	ErrPermanent = errors.New("refused for good")
)
