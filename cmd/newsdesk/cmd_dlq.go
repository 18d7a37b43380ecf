package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"
)

// runDLQ is `newsdesk dlq list|replay`: show the events a consumer gave up
// on, and send them again once the cause is fixed.
func runDLQ(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("dlq", stdio)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newsdesk dlq list [--consumer NAME] [--json]\n       newsdesk dlq replay [--consumer NAME] (--all | SEQ...)")
		fs.PrintDefaults()
	}
	consumer := fs.String("consumer", "", "only the dead letters of this consumer (indexer, alerter)")
	asJSON := fs.Bool("json", false, "list: one JSON object per line, with the payload")
	all := fs.Bool("all", false, "replay: every dead letter (of --consumer)")
	if len(args) > 0 && isHelp(args[0]) {
		fs.SetOutput(stdio.Stdout)
		fs.Usage()
		return nil
	}
	if len(args) == 0 || (args[0] != "list" && args[0] != "replay") {
		fs.Usage()
		return reported(exitUsage)
	}
	verb := args[0]
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	return as("dlq "+verb, dlqVerb(ctx, verb, g, *consumer, *asJSON, *all, fs.Args(), stdio))
}

// dlqVerb runs `dlq list` or `dlq replay` once the flags are parsed.
func dlqVerb(ctx context.Context, verb string, g *globalFlags, consumer string, asJSON, all bool, args []string, stdio IO) error {
	var seqs []uint64
	for _, a := range args {
		n, err := strconv.ParseUint(a, 10, 64)
		if err != nil || verb != "replay" {
			return usageError(fmt.Errorf("unexpected argument %q", a))
		}
		seqs = append(seqs, n)
	}
	if verb == "replay" && (len(seqs) == 0) == !all {
		return usageError(errors.New("give the sequence numbers to replay (from dlq list) or --all"))
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		return usageError(err)
	}
	bus, err := connectNATS(ctx, cfg, logger, "dlq", false)
	if err != nil {
		return err
	}
	defer bus.Close()

	if verb == "replay" {
		if all {
			dls, err := bus.DeadLetters(ctx, consumer, 0)
			if err != nil {
				return err
			}
			for _, dl := range dls {
				seqs = append(seqs, dl.Seq)
			}
		}
		for _, seq := range seqs {
			if err := bus.ReplayDeadLetter(ctx, seq); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdio.Stdout, "replayed %d dead letter(s)\n", len(seqs))
		return nil
	}

	dls, err := bus.DeadLetters(ctx, consumer, 0)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdio.Stdout)
		for _, dl := range dls {
			if err := enc.Encode(dl); err != nil {
				return err
			}
		}
		return nil
	}
	if len(dls) == 0 {
		fmt.Fprintln(stdio.Stdout, "no dead letters")
		return nil
	}
	tw := tabwriter.NewWriter(stdio.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tTIME\tCONSUMER\tSUBJECT\tDELIVERIES\tREASON")
	for _, dl := range dls {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", dl.Seq, dl.Time.Local().Format(time.DateTime),
			dl.Consumer, dl.Subject, dl.Deliveries, dl.Reason)
	}
	tw.Flush()
	fmt.Fprintf(stdio.Stdout, "%d dead letter(s); replay with: newsdesk dlq replay SEQ... (or --all)\n", len(dls))
	return nil
}
