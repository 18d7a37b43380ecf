package events

import "github.com/nats-io/nats.go"

// Conn exposes the Bus's connection to tests: a message published on it
// after events reaches a subscriber after them.
func (b *Bus) Conn() *nats.Conn { return b.nc }

// Kill closes the connection at once, without draining: acks not yet sent
// are lost, as when the process is killed.
func (b *Bus) Kill() { b.nc.Close() }
