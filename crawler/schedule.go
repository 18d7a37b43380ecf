package crawler

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule says when the next pass starts, for the in-process scheduler of
// people without cron (`newsdesk run`, `newsdesk crawl --every`).
type Schedule interface {
	// Next returns the first start after t.
	Next(t time.Time) time.Time
}

// MinInterval is the shortest interval ParseSchedule accepts: a shorter one
// is more likely a typo (15s for 15m) than a plan, and impolite.
const MinInterval = time.Minute

// every is a fixed interval between the end of one pass and the next.
type every time.Duration

func (e every) Next(t time.Time) time.Time { return t.Add(time.Duration(e)) }

// Every is a schedule of one pass every d, counted from the end of the
// previous pass.
func Every(d time.Duration) Schedule { return every(d) }

// ParseSchedule reads an interval ("15m", at least MinInterval) or a
// standard five-field cron expression ("*/15 * * * *", "@hourly"), parsed
// by robfig/cron, in local time.
func ParseSchedule(spec string) (Schedule, error) {
	if d, err := time.ParseDuration(spec); err == nil {
		if d < MinInterval {
			return nil, fmt.Errorf("interval %s: must be at least %s", d, MinInterval)
		}
		return every(d), nil
	}
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q is neither an interval like 15m nor a cron expression: %w", spec, err)
	}
	return s, nil
}

// RunScheduled runs pass at once and then at each time the schedule
// names, until ctx ends. A pass that overruns its next start is not
// doubled: the next start is computed when a pass ends.
func RunScheduled(ctx context.Context, sched Schedule, pass func(ctx context.Context)) {
	for {
		pass(ctx)
		next := sched.Next(time.Now())
		if sleep(ctx, time.Until(next)) != nil {
			return
		}
	}
}
