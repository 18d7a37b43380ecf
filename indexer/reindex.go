package indexer

import (
	"context"
	"fmt"
	"log/slog"

	"newsdesk/news"
)

// Rebuilding an index from the event stream while search and the live
// indexers keep running is the same procedure whatever the backend, so it
// is written once here (Reindex); a backend only provides the new index
// beside the live one (Rebuilder) and the events come from a Stream.

// Storer is what a replay writes into: an Index, or a Rebuilder's new index.
type Storer interface {
	Store(ctx context.Context, docs []news.Article) []error
}

// Rebuilder is a new index being built beside a live one.
type Rebuilder interface {
	// Store writes into the new index, as Index.Store does.
	Store(ctx context.Context, docs []news.Article) []error
	// Count is how many documents the named index holds, after a refresh.
	Count(ctx context.Context, index string) (int64, error)
	// Swap points the live read and write names at the new index at once.
	// From then on, the live Index writes into it.
	Swap(ctx context.Context) error
	// Abort deletes the new index, for a rebuild given up before Swap; it
	// runs even when ctx was cancelled.
	Abort(ctx context.Context) error
	// DeleteOld deletes the index Swap left.
	DeleteOld(ctx context.Context) error
	// Names are the index being replaced and the one being built.
	Names() (old, new string)
	// Aliases are the live read and write names, moved by Swap.
	Aliases() (read, write string)
}

// Rebuildable is an Index that can build a new index beside itself.
type Rebuildable interface {
	BeginRebuild(ctx context.Context) (Rebuilder, error)
}

// Stream is the event stream an index is rebuilt from.
type Stream interface {
	// LastSequence is the sequence of the newest event, 0 when none.
	LastSequence(ctx context.Context) (uint64, error)
	// Replay hands the articles of the events from..to (inclusive) to
	// sink, in stream order, retrying what the sink rejected for a while.
	Replay(ctx context.Context, from, to uint64, sink Storer) (Replayed, error)
}

// Replayed counts what one Replay read and stored.
type Replayed struct {
	Events     int    // article events read
	Stored     int    // docs the sink accepted
	Superseded int    // events folded into a newer event of the same article
	Skipped    int    // messages that are not article events
	Rejected   int    // docs the sink refused for good
	FirstSeq   uint64 // the first sequence read
	LastSeq    uint64 // the last sequence read
}

// ReindexOptions are the choices of a Reindex.
type ReindexOptions struct {
	// AllowFewer swaps even when the new index holds fewer articles than
	// the old (the stream no longer holds the missing ones).
	AllowFewer bool
	// DeleteOld deletes the old index after the swap.
	DeleteOld bool
	// Logger receives the progress; nil discards.
	Logger *slog.Logger
}

// ReindexReport is what a Reindex did, also when it failed part way.
type ReindexReport struct {
	Old, New         string // the index replaced and the one built
	Read, Write      string // the aliases, moved from Old to New by the swap
	OldCount         int64  // articles in Old when the reindex began
	Replay           Replayed
	Late             Replayed // the catch-up on events published during the replay
	FinalCount       int64    // articles in New at the end
	Swapped          bool     // the aliases point to New
	Aborted          bool     // New was deleted, the aliases were not moved
	CaughtUp         bool     // the catch-up replay is done: New holds every event
	DeleteOldTried   bool     // DeleteOld was asked for and attempted
	DeletedOld       bool     // and it worked
	ReplayTo         uint64   // the last stream sequence of the first replay
	CatchUpFrom, End uint64   // the sequences of the catch-up replay
}

// BeginReindex starts rebuilding live, or says why it cannot be.
func BeginReindex(ctx context.Context, live Index) (Rebuilder, error) {
	r, ok := live.(Rebuildable)
	if !ok {
		return nil, fmt.Errorf("reindex needs an index that can be rebuilt beside itself (Elasticsearch), the index is a %T", live)
	}
	return r.BeginRebuild(ctx)
}

// Reindex rebuilds live from st into rb's new index and swaps it in,
// without stopping search or the live indexer:
//
//  1. note the old index's count and the stream's last sequence (target);
//  2. replay the stream up to target into the new index;
//  3. refuse when the new index holds fewer articles than the old, unless
//     AllowFewer (then rb is aborted);
//  4. swap the aliases;
//  5. replay target+1 up to the stream's end after the swap into live,
//     which now writes into the new index: the events the live indexer
//     wrote into the old index during step 2. Versioning by revision keeps
//     a replayed older event from replacing a newer document.
//
// Any failure before the swap aborts rb (Report.Aborted says whether that
// worked). The report holds what was done so far.
func Reindex(ctx context.Context, live Storer, rb Rebuilder, st Stream, opts ReindexOptions) (ReindexReport, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var rep ReindexReport
	rep.Old, rep.New = rb.Names()
	rep.Read, rep.Write = rb.Aliases()
	err := rebuild(ctx, rb, st, opts, log, &rep)
	if err != nil && !rep.Swapped {
		if aerr := rb.Abort(ctx); aerr != nil {
			log.Error("reindex: deleting the unfinished index failed", "index", rep.New, "err", aerr)
		} else {
			rep.Aborted = true
		}
		return rep, err
	}
	if err != nil {
		return rep, err
	}
	if err := catchUp(ctx, live, rb, st, &rep); err != nil {
		return rep, err
	}
	if opts.DeleteOld {
		rep.DeleteOldTried = true
		if err := rb.DeleteOld(ctx); err != nil {
			return rep, err
		}
		rep.DeletedOld = true
	}
	return rep, nil
}

// rebuild does steps 1 to 4 of Reindex.
func rebuild(ctx context.Context, rb Rebuilder, st Stream, opts ReindexOptions, log *slog.Logger, rep *ReindexReport) error {
	var err error
	if rep.OldCount, err = rb.Count(ctx, rep.Old); err != nil {
		return err
	}
	if rep.ReplayTo, err = st.LastSequence(ctx); err != nil {
		return err
	}
	log.Info("reindex: replaying the article stream", "to_seq", rep.ReplayTo, "into", rep.New, "old", rep.Old, "old_articles", rep.OldCount)
	if rep.ReplayTo > 0 {
		if rep.Replay, err = st.Replay(ctx, 1, rep.ReplayTo, rb); err != nil {
			return err
		}
	}
	newCount, err := rb.Count(ctx, rep.New)
	if err != nil {
		return err
	}
	if newCount < rep.OldCount && !opts.AllowFewer {
		return fmt.Errorf("the new index %s has %d articles, the old %s has %d: the stream no longer holds the missing ones (nats.max_age, nats.max_bytes); rerun with --allow-fewer to swap anyway",
			rep.New, newCount, rep.Old, rep.OldCount)
	}
	if err := rb.Swap(ctx); err != nil {
		return err
	}
	rep.Swapped = true
	return nil
}

// catchUp is step 5 of Reindex: the events published since the replay's
// target, stored through live, whose writes now go to the new index.
func catchUp(ctx context.Context, live Storer, rb Rebuilder, st Stream, rep *ReindexReport) error {
	fail := func(err error) error {
		return fmt.Errorf("aliases moved to %s, but catching up on the events published during the reindex failed (rerun --reindex): %w", rep.New, err)
	}
	end, err := st.LastSequence(ctx)
	if err != nil {
		return fail(err)
	}
	rep.CatchUpFrom, rep.End = rep.ReplayTo+1, end
	if end >= rep.CatchUpFrom {
		if rep.Late, err = st.Replay(ctx, rep.CatchUpFrom, end, live); err != nil {
			return fail(err)
		}
	}
	if rep.FinalCount, err = rb.Count(ctx, rep.New); err != nil {
		return err
	}
	rep.CaughtUp = true
	return nil
}
