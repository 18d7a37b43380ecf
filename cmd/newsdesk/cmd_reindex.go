package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"

	"newsdesk/config"
	"newsdesk/events"
	"newsdesk/indexer/elastic"
	"newsdesk/news"
)

// reindexOptions are the flags of `newsdesk index --reindex`.
type reindexOptions struct {
	batch      int
	deleteOld  bool
	allowFewer bool
}

// runReindex is `newsdesk index --reindex`: it rebuilds the Elasticsearch
// index from the article stream without stopping search or the live
// indexer (see elastic.Reindex for the order of steps and why nothing
// published meanwhile is lost), then prints what it did.
//
// It refuses to swap when the new index would hold fewer articles than the
// old one (the stream's max_age dropped events the old index still has)
// unless --allow-fewer; the new index is then deleted. The embedded index
// is not reindexed this way: it is one bleve directory the running newsdesk
// holds open, and rebuilding it means stopping newsdesk, removing the
// directory and the indexer's consumer, and starting again.
func runReindex(ctx context.Context, cfg *config.Config, logger *slog.Logger, opts reindexOptions, stdio IO) int {
	fail := func(code int, err error) int {
		fmt.Fprintln(stdio.Stderr, "newsdesk index --reindex:", err)
		return code
	}
	if len(cfg.Elasticsearch.URLs) == 0 {
		return fail(exitUsage, fmt.Errorf("reindex needs Elasticsearch (elasticsearch.urls or NEWSDESK_ES_URL); "+
			"to rebuild the embedded index, stop newsdesk, remove %s and the %q consumer of stream %s (nats consumer rm), and start it again: the indexer replays the stream",
			filepath.Join(cfg.DataDir, "index"), news.IndexerConsumer, streamName(cfg)))
	}
	bus, err := connectNATS(ctx, cfg, logger, "reindex", false)
	if err != nil {
		return fail(exitFailed, err)
	}
	defer bus.Close()
	idx, err := openIndex(ctx, cfg, logger)
	if err != nil {
		return fail(exitFailed, err)
	}
	defer idx.Close()
	es, ok := idx.(*elastic.Index)
	if !ok {
		return fail(exitFailed, fmt.Errorf("reindex needs Elasticsearch, the index is a %T", idx))
	}

	rx, err := es.BeginReindex(ctx)
	if err != nil {
		return fail(exitFailed, err)
	}
	swapped := false
	defer func() {
		if !swapped {
			if err := rx.Abort(ctx); err != nil {
				logger.Error("reindex: deleting the unfinished index failed", "index", rx.New, "err", err)
			} else {
				fmt.Fprintf(stdio.Stderr, "newsdesk index --reindex: deleted the unfinished index %s; the aliases were not moved\n", rx.New)
			}
		}
	}()
	oldCount, err := rx.Count(ctx, rx.Old)
	if err != nil {
		return fail(exitFailed, err)
	}
	target, err := bus.LastSequence(ctx)
	if err != nil {
		return fail(exitFailed, err)
	}
	logger.Info("reindex: replaying the article stream", "to_seq", target, "into", rx.New, "old", rx.Old, "old_articles", oldCount)
	st, err := bus.Replay(ctx, events.ReplayOptions{To: target, Batch: opts.batch}, rx)
	if err != nil {
		return fail(exitFailed, err)
	}
	newCount, err := rx.Count(ctx, rx.New)
	if err != nil {
		return fail(exitFailed, err)
	}
	if newCount < oldCount && !opts.allowFewer {
		return fail(exitFailed, fmt.Errorf("the new index %s has %d articles, the old %s has %d: the stream no longer holds the missing ones (nats.max_age, nats.max_bytes); rerun with --allow-fewer to swap anyway",
			rx.New, newCount, rx.Old, oldCount))
	}
	if err := rx.Swap(ctx); err != nil {
		return fail(exitFailed, err)
	}
	swapped = true

	// Events the live indexer wrote into the old index while we replayed:
	// replay them into the new one, where the write alias now points.
	end, err := bus.LastSequence(ctx)
	var late events.ReplayStats
	if err == nil {
		late, err = bus.Replay(ctx, events.ReplayOptions{From: target + 1, To: end, Batch: opts.batch}, es)
	}
	if err != nil {
		return fail(exitFailed, fmt.Errorf("aliases moved to %s, but catching up on the events published during the reindex failed (rerun --reindex): %w", rx.New, err))
	}
	finalCount, err := rx.Count(ctx, rx.New)
	if err != nil {
		return fail(exitFailed, err)
	}

	out := stdio.Stdout
	fmt.Fprintf(out, "replayed %d article events (stream sequences %d..%d) into %s: %d stored, %d folded into a newer event of the same article, %d not article events, %d refused\n",
		st.Events, st.FirstSeq, st.LastSeq, rx.New, st.Stored, st.Superseded, st.Skipped, st.Rejected)
	fmt.Fprintf(out, "caught up on %d events published during the reindex\n", late.Events)
	fmt.Fprintf(out, "aliases %s and %s now point to %s: %d articles (the old index had %d when the reindex began)\n",
		es.Alias(), es.WriteAlias(), rx.New, finalCount, oldCount)
	if opts.deleteOld {
		if err := rx.DeleteOld(ctx); err != nil {
			return fail(exitFailed, err)
		}
		fmt.Fprintf(out, "deleted the old index %s\n", rx.Old)
		return exitOK
	}
	fmt.Fprintf(out, "kept the old index %s; delete it when satisfied: curl -X DELETE '%s/%s' (or rerun with --delete-old)\n",
		rx.Old, esURLHint(cfg), rx.Old)
	return exitOK
}

// streamName is the article stream's name in effect.
func streamName(cfg *config.Config) string {
	if cfg.NATS.Stream != "" {
		return cfg.NATS.Stream
	}
	return events.DefaultStream
}

// esURLHint is the first Elasticsearch URL without credentials, for a
// command to copy.
func esURLHint(cfg *config.Config) string {
	u, err := url.Parse(cfg.Elasticsearch.URLs[0])
	if err != nil {
		return "ELASTICSEARCH_URL"
	}
	u.User = nil
	return u.String()
}
