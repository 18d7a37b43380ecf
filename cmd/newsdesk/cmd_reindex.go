package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"

	"newsdesk/config"
	"newsdesk/events"
	"newsdesk/indexer"
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
// indexer (see indexer.Reindex for the order of steps and why nothing
// published meanwhile is lost), then prints what it did.
//
// It refuses to swap when the new index would hold fewer articles than the
// old one (the stream's max_age dropped events the old index still has)
// unless --allow-fewer; the new index is then deleted. The embedded index
// is not reindexed this way: it is one bleve directory the running newsdesk
// holds open, and rebuilding it means stopping newsdesk, removing the
// directory and the indexer's consumer, and starting again.
func runReindex(ctx context.Context, cfg *config.Config, logger *slog.Logger, opts reindexOptions, stdio IO) error {
	if len(cfg.Elasticsearch.URLs) == 0 {
		return usageError(fmt.Errorf("reindex needs Elasticsearch (elasticsearch.urls or NEWSDESK_ES_URL); "+
			"to rebuild the embedded index, stop newsdesk, remove %s and the %q consumer of stream %s (nats consumer rm), and start it again: the indexer replays the stream",
			filepath.Join(cfg.DataDir, "index"), news.IndexerConsumer, streamName(cfg)))
	}
	bus, err := connectNATS(ctx, cfg, logger, "reindex", false)
	if err != nil {
		return err
	}
	defer bus.Close()
	idx, err := openIndex(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer idx.Close()
	rb, err := indexer.BeginReindex(ctx, idx)
	if err != nil {
		return err
	}
	rep, err := indexer.Reindex(ctx, idx, rb, replayStream{bus: bus.Bus, batch: opts.batch},
		indexer.ReindexOptions{AllowFewer: opts.allowFewer, DeleteOld: opts.deleteOld, Logger: logger})
	if rep.Swapped {
		printReindex(stdio.Stdout, cfg, rep)
	}
	if err != nil {
		if rep.Aborted {
			return errors.Join(err, fmt.Errorf("deleted the unfinished index %s; the aliases were not moved", rep.New))
		}
		return err
	}
	return nil
}

// printReindex prints what a reindex that swapped the aliases did, as far
// as it got.
func printReindex(out io.Writer, cfg *config.Config, rep indexer.ReindexReport) {
	st := rep.Replay
	fmt.Fprintf(out, "replayed %d article events (stream sequences %d..%d) into %s: %d stored, %d folded into a newer event of the same article, %d not article events, %d refused\n",
		st.Events, st.FirstSeq, st.LastSeq, rep.New, st.Stored, st.Superseded, st.Skipped, st.Rejected)
	if !rep.CaughtUp {
		return
	}
	fmt.Fprintf(out, "caught up on %d events published during the reindex\n", rep.Late.Events)
	fmt.Fprintf(out, "aliases %s and %s now point to %s: %d articles (the old index had %d when the reindex began)\n",
		rep.Read, rep.Write, rep.New, rep.FinalCount, rep.OldCount)
	switch {
	case rep.DeletedOld:
		fmt.Fprintf(out, "deleted the old index %s\n", rep.Old)
	case !rep.DeleteOldTried:
		fmt.Fprintf(out, "kept the old index %s; delete it when satisfied: curl -X DELETE '%s/%s' (or rerun with --delete-old)\n",
			rep.Old, esURLHint(cfg), rep.Old)
	}
}

// replayStream is the article stream as indexer.Reindex reads it.
type replayStream struct {
	bus   *events.Bus
	batch int
}

func (s replayStream) LastSequence(ctx context.Context) (uint64, error) {
	return s.bus.LastSequence(ctx)
}

func (s replayStream) Replay(ctx context.Context, from, to uint64, sink indexer.Storer) (indexer.Replayed, error) {
	st, err := s.bus.Replay(ctx, events.ReplayOptions{From: from, To: to, Batch: s.batch}, sink)
	return indexer.Replayed{Events: st.Events, Stored: st.Stored, Superseded: st.Superseded, Skipped: st.Skipped,
		Rejected: st.Rejected, FirstSeq: st.FirstSeq, LastSeq: st.LastSeq}, err
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
