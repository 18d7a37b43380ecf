package events

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/news"
)

// StreamSetup is what Connect may do to the article, alert and dead-letter
// streams. Streams are shared by every process on the bus, so only an
// explicit setup (ApplyStreams) changes an existing one: a command run with
// another config must not rewrite what the operator set up.
type StreamSetup int

const (
	// CreateMissingStreams creates a stream that does not exist yet, with
	// Options' settings, and leaves existing ones exactly as they are (a
	// difference from Options is logged). The zero value: a fresh server
	// just works, and nothing existing is ever shrunk.
	CreateMissingStreams StreamSetup = iota
	// RequireStreams changes nothing: Connect fails with ErrStreamMissing
	// when a stream does not exist. For read-only commands.
	RequireStreams
	// SkipStreams only connects; the caller applies or inspects the streams
	// itself (ApplyStreams, StreamConfigs).
	SkipStreams
)

// ErrStreamMissing is returned by Connect with RequireStreams when one of
// the streams does not exist on the server.
var ErrStreamMissing = errors.New("stream does not exist")

// ErrShrink is wrapped by ApplyStreams' error when it refused a change that
// would drop stored events or redundancy.
var ErrShrink = errors.New("would shrink it")

// ApplyOptions say how far ApplyStreams may go.
type ApplyOptions struct {
	// AllowShrink applies changes that lower replicas, max_age or max_bytes
	// or change the storage; without it they are refused, and nothing is
	// changed.
	AllowShrink bool
	// DryRun only reports the changes.
	DryRun bool
}

// StreamChange is what ApplyStreams does (or, in a dry run, would do) to
// one stream.
type StreamChange struct {
	Stream string
	// Create is set when the stream does not exist yet.
	Create bool
	// Fields are the settings that differ, in a fixed order.
	Fields []FieldChange
	// want is the configuration to create or update the stream with.
	want jetstream.StreamConfig
}

// FieldChange is one setting of a stream going from From to To.
type FieldChange struct {
	Name, From, To string
	// Shrinks is set when the change can drop stored events or replicas.
	Shrinks bool
}

func (f FieldChange) String() string { return f.Name + " " + f.From + " → " + f.To }

// Changed reports whether applying would touch the stream.
func (c StreamChange) Changed() bool { return c.Create || len(c.Fields) > 0 }

// Shrinks reports whether the change drops stored events or redundancy.
func (c StreamChange) Shrinks() bool {
	return slices.ContainsFunc(c.Fields, func(f FieldChange) bool { return f.Shrinks })
}

// String describes the change on one line, e.g. "stream NEWSDESK_ARTICLES:
// replicas 3 → 1, max_age 720h → 15m".
func (c StreamChange) String() string {
	switch {
	case c.Create:
		w := c.want
		return fmt.Sprintf("stream %s: create (replicas %d, max_age %s, max_bytes %s, storage %s, duplicate_window %s)",
			c.Stream, w.Replicas, fmtAge(w.MaxAge), fmtBytes(w.MaxBytes), fmtStorage(w.Storage), fmtAge(w.Duplicates))
	case len(c.Fields) == 0:
		return "stream " + c.Stream + ": unchanged"
	}
	return "stream " + c.Stream + ": " + joinFields(c.Fields)
}

// shrinkError names what a change would shrink.
func (c StreamChange) shrinkError() error {
	var shrinking []FieldChange
	for _, f := range c.Fields {
		if f.Shrinks {
			shrinking = append(shrinking, f)
		}
	}
	return fmt.Errorf("stream %s: %s %w", c.Stream, joinFields(shrinking), ErrShrink)
}

func joinFields(fs []FieldChange) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.String()
	}
	return strings.Join(parts, ", ")
}

// ApplyStreams creates the streams that are missing and updates existing
// ones to the Options the Bus was connected with. It refuses, changing
// nothing at all, when a change would shrink a stream (lower replicas,
// max_age or max_bytes, another storage) unless ao.AllowShrink; the error
// wraps ErrShrink and names each change. Settings newsdesk does not manage
// (placement, sources, metadata) are kept. With Options.Replicas 0 an
// existing stream keeps its replicas. Creating or updating a stream that
// another process sets up at the same moment is retried within the retry
// budget. It returns the change of every stream, unchanged ones included.
func (b *Bus) ApplyStreams(ctx context.Context, ao ApplyOptions) ([]StreamChange, error) {
	wants, err := b.wantStreams()
	if err != nil {
		return nil, err
	}
	changes := make([]StreamChange, len(wants))
	for i, want := range wants {
		err := retrySetup(ctx, b.retryBudget, func(ctx context.Context) error {
			var err error
			changes[i], err = b.planStream(ctx, want)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("reading stream %s: %w", want.Name, err)
		}
	}
	if !ao.AllowShrink {
		var errs []error
		for _, c := range changes {
			if c.Shrinks() {
				errs = append(errs, c.shrinkError())
			}
		}
		if len(errs) > 0 {
			return changes, errors.Join(errs...)
		}
	}
	if ao.DryRun {
		return changes, nil
	}
	for i, want := range wants {
		if !changes[i].Changed() {
			continue
		}
		err := retrySetup(ctx, b.retryBudget, func(ctx context.Context) error {
			return b.applyStream(ctx, want, ao.AllowShrink)
		})
		if err != nil {
			return changes, fmt.Errorf("applying %s: %w", changes[i], err)
		}
		b.log.Info("stream set up", "change", changes[i].String())
	}
	return changes, nil
}

// StreamConfigs returns the current configuration of the article, alert and
// dead-letter streams, nil for one that does not exist.
func (b *Bus) StreamConfigs(ctx context.Context) (map[string]*jetstream.StreamConfig, error) {
	out := map[string]*jetstream.StreamConfig{}
	for _, name := range []string{b.stream, b.alertStream, b.dlqStream} {
		var cfg *jetstream.StreamConfig
		err := retrySetup(ctx, b.retryBudget, func(ctx context.Context) error {
			s, err := b.js.Stream(ctx, name)
			if errors.Is(err, jetstream.ErrStreamNotFound) {
				cfg = nil
				return nil
			}
			if err != nil {
				return err
			}
			c := s.CachedInfo().Config
			cfg = &c
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading stream %s: %w", name, err)
		}
		out[name] = cfg
	}
	return out, nil
}

// DescribeStream is one line of a stream's limits, in the terms of
// StreamChange.
func DescribeStream(cfg jetstream.StreamConfig) string {
	return fmt.Sprintf("replicas %d, max_age %s, max_bytes %s, storage %s, duplicate_window %s, subjects %s",
		cfg.Replicas, fmtAge(cfg.MaxAge), fmtBytes(cfg.MaxBytes), fmtStorage(cfg.Storage),
		fmtAge(cfg.Duplicates), strings.Join(cfg.Subjects, " "))
}

// setupStreams does what opts.Streams says at connect time.
func (b *Bus) setupStreams(ctx context.Context, setup StreamSetup) error {
	switch setup {
	case SkipStreams:
		return nil
	case RequireStreams:
		return b.requireStreams(ctx)
	case CreateMissingStreams:
		return b.createMissingStreams(ctx)
	}
	return fmt.Errorf("connecting to NATS: unknown stream setup %d", setup)
}

// requireStreams fails with ErrStreamMissing unless every stream exists.
func (b *Bus) requireStreams(ctx context.Context) error {
	cfgs, err := b.StreamConfigs(ctx)
	if err != nil {
		return err
	}
	var missing []string
	for _, name := range []string{b.stream, b.alertStream, b.dlqStream} {
		if cfgs[name] == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s", ErrStreamMissing, strings.Join(missing, ", "))
	}
	return nil
}

// createMissingStreams creates the streams that do not exist and only logs
// how an existing one differs from the Options.
func (b *Bus) createMissingStreams(ctx context.Context) error {
	wants, err := b.wantStreams()
	if err != nil {
		return err
	}
	for _, want := range wants {
		var c StreamChange
		err := retrySetup(ctx, b.retryBudget, func(ctx context.Context) error {
			var err error
			if c, err = b.planStream(ctx, want); err != nil || !c.Create {
				return err
			}
			_, err = b.js.CreateStream(ctx, c.want)
			return err
		})
		switch {
		case err != nil:
			return fmt.Errorf("creating stream %s (replicas %d): %w", want.Name, want.Replicas, err)
		case c.Create:
			b.log.Info("stream created", "change", c.String())
		case c.Changed():
			b.log.Warn("stream differs from this process's settings; left as it is (only an explicit apply changes it)",
				"stream", want.Name, "difference", joinFields(c.Fields))
		}
	}
	return nil
}

// wantStreams are the streams as the Options describe them. Replicas 0
// stays 0 here: "keep what the stream has, or the default on creation".
func (b *Bus) wantStreams() ([]jetstream.StreamConfig, error) {
	o := b.opts
	storage := jetstream.FileStorage
	switch o.Storage {
	case "file":
	case "memory":
		storage = jetstream.MemoryStorage
	default:
		return nil, fmt.Errorf("setting up streams: storage %q is not file or memory", o.Storage)
	}
	var out []jetstream.StreamConfig
	for _, s := range []struct{ name, subjects, what string }{
		{o.Stream, news.ArticleSubjects, "newsdesk article events (CloudEvents 1.0, structured JSON)"},
		{o.AlertStream, news.AlertSubjects, "newsdesk alert events (CloudEvents 1.0, structured JSON)"},
		{o.DeadLetterStream, news.DeadLetterSubjects, "newsdesk dead letters: events a consumer gave up on, with the reason"},
	} {
		out = append(out, jetstream.StreamConfig{
			Name:        s.name,
			Description: s.what,
			Subjects:    []string{s.subjects},
			Retention:   jetstream.LimitsPolicy,
			Discard:     jetstream.DiscardOld,
			Storage:     storage,
			Replicas:    o.Replicas,
			MaxAge:      o.MaxAge,
			MaxBytes:    o.MaxBytes,
			Duplicates:  o.DuplicateWindow,
		})
	}
	return out, nil
}

// planStream compares want with the stream on the server.
func (b *Bus) planStream(ctx context.Context, want jetstream.StreamConfig) (StreamChange, error) {
	s, err := b.js.Stream(ctx, want.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		if want.Replicas <= 0 {
			want.Replicas = b.defaultReplicas()
		}
		return StreamChange{Stream: want.Name, Create: true, want: want}, nil
	}
	if err != nil {
		return StreamChange{}, err
	}
	return diffStream(s.CachedInfo().Config, want), nil
}

// applyStream creates or updates one stream, planning again first: another
// process may have created or changed it since the plan.
func (b *Bus) applyStream(ctx context.Context, want jetstream.StreamConfig, allowShrink bool) error {
	c, err := b.planStream(ctx, want)
	switch {
	case err != nil:
		return err
	case c.Create:
		_, err = b.js.CreateStream(ctx, c.want)
	case c.Shrinks() && !allowShrink:
		return c.shrinkError()
	case c.Changed():
		_, err = b.js.UpdateStream(ctx, c.want)
	}
	return err
}

// diffStream lists how want differs from have, and the configuration to
// update have with: have's, with newsdesk's settings replaced.
func diffStream(have, want jetstream.StreamConfig) StreamChange {
	c := StreamChange{Stream: have.Name}
	next := have
	add := func(name, from, to string, shrinks bool) {
		c.Fields = append(c.Fields, FieldChange{Name: name, From: from, To: to, Shrinks: shrinks})
	}
	if want.Replicas > 0 && want.Replicas != have.Replicas {
		add("replicas", strconv.Itoa(have.Replicas), strconv.Itoa(want.Replicas), want.Replicas < have.Replicas)
		next.Replicas = want.Replicas
	}
	if want.MaxAge != have.MaxAge {
		add("max_age", fmtAge(have.MaxAge), fmtAge(want.MaxAge), limitShrinks(int64(have.MaxAge), int64(want.MaxAge)))
		next.MaxAge = want.MaxAge
	}
	if unlimited(want.MaxBytes) != unlimited(have.MaxBytes) || (!unlimited(want.MaxBytes) && want.MaxBytes != have.MaxBytes) {
		add("max_bytes", fmtBytes(have.MaxBytes), fmtBytes(want.MaxBytes), limitShrinks(have.MaxBytes, want.MaxBytes))
		next.MaxBytes = want.MaxBytes
	}
	if want.Storage != have.Storage {
		add("storage", fmtStorage(have.Storage), fmtStorage(want.Storage), true)
		next.Storage = want.Storage
	}
	if want.Duplicates != have.Duplicates {
		add("duplicate_window", fmtAge(have.Duplicates), fmtAge(want.Duplicates), false)
		next.Duplicates = want.Duplicates
	}
	if !slices.Equal(want.Subjects, have.Subjects) {
		add("subjects", strings.Join(have.Subjects, " "), strings.Join(want.Subjects, " "), false)
		next.Subjects = want.Subjects
	}
	c.want = next
	return c
}

// limitShrinks reports whether a limit going from have to want keeps less;
// 0 or below is no limit.
func limitShrinks(have, want int64) bool {
	if want <= 0 {
		return false
	}
	return have <= 0 || want < have
}

func unlimited(n int64) bool { return n <= 0 }

// fmtAge writes a duration the way the config does: 720h, 15m, 1h30m;
// "none" for no limit.
func fmtAge(d time.Duration) string {
	if d <= 0 {
		return "none"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func fmtBytes(n int64) string {
	if n <= 0 {
		return "none"
	}
	return strconv.FormatInt(n, 10)
}

func fmtStorage(s jetstream.StorageType) string { return strings.ToLower(s.String()) }

// defaultReplicas is the replica count of a new stream or bucket when none
// is configured: 1 on a single server, 3 in a cluster.
func (b *Bus) defaultReplicas() int {
	if b.nc.ConnectedClusterName() != "" {
		return 3
	}
	return 1
}

// retrySetup runs op, an idempotent creation or update, until it succeeds
// or fails for a reason retrying cannot cure, within budget. Beyond what
// retry calls transient, it retries what two processes setting up the same
// stream at once see: "stream name already in use" (the other one created
// it first, with other settings) and a cluster that has no suitable peers
// yet.
func retrySetup(ctx context.Context, budget time.Duration, op func(ctx context.Context) error) error {
	deadline := time.Now().Add(budget)
	delay := firstRetryDelay
	for {
		err := attempt(ctx, deadline, op)
		if err == nil || !(transient(err) || setupRace(err)) {
			return err
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (last error: %w)", context.Cause(ctx), err)
		}
		wait := jitter(delay)
		if time.Until(deadline) < wait {
			return fmt.Errorf("still failing after %s (retry budget %s): %w", budget, budgetKey, err)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %w)", context.Cause(ctx), err)
		}
		delay = min(2*delay, maxBackoff)
	}
}

// JetStream error codes a concurrent first start runs into.
const (
	jsErrCodeClusterNoPeers jetstream.ErrorCode = 10005 // no suitable peers for placement
	jsErrCodeStreamNameUsed jetstream.ErrorCode = 10058 // stream name already in use
)

// setupRace reports whether err is what creating a stream, bucket or
// consumer that another process creates at the same time looks like.
func setupRace(err error) bool {
	if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) || errors.Is(err, jetstream.ErrBucketExists) {
		return true
	}
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		case jsErrCodeClusterNoPeers, jsErrCodeStreamNameUsed,
			jetstream.JSErrCodeConsumerNameExists, jetstream.JSErrCodeConsumerAlreadyExists, jetstream.JSErrCodeConsumerExists:
			return true
		case jetstream.JSErrCodeConsumerCreate:
			// The server's "consumer closed": another create replaced the
			// one this request was setting up.
			return strings.Contains(apiErr.Description, "closed")
		}
	}
	return false
}
