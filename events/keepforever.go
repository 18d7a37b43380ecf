package events

import "time"

// KeepForever as Options.MaxAge keeps events until MaxBytes or the server's
// limits apply. It is named because the zero value means DefaultMaxAge: a
// caller whose own zero means "forever" (the config's nats.max_age: 0)
// says so with it.
const KeepForever time.Duration = -1
