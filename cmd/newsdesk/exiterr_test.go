package main

import (
	"errors"
	"strings"
	"testing"
)

// TestCommandErrorsArePrintedOnceWithTheirExitStatus drives Main with the
// usage errors a user makes and checks the exact stderr and exit status:
// one "newsdesk <command>: <error>" line, the subcommand named where there
// is one, and any usage or hint after it.
func TestCommandErrorsArePrintedOnceWithTheirExitStatus(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		code       int
		wantStderr string
	}{
		{[]string{"healthcheck"}, exitUsage, "newsdesk healthcheck: give one URL, e.g. http://127.0.0.1:8080/readyz\n"},
		{[]string{"healthcheck", "ftp://example.org/"}, exitUsage, "newsdesk healthcheck: \"ftp://example.org/\" is not an http(s) URL\n"},
		{[]string{"crawl", "--once", "--every", "15m"}, exitUsage, "newsdesk crawl: --once and --every exclude each other\n"},
		{[]string{"dlq", "list", "7"}, exitUsage, "newsdesk dlq list: unexpected argument \"7\"\n"},
		{[]string{"dlq", "replay"}, exitUsage, "newsdesk dlq replay: give the sequence numbers to replay (from dlq list) or --all\n"},
		{[]string{"streams", "bogus"}, exitUsage, "newsdesk streams: unknown subcommand \"bogus\"\n" +
			"usage: newsdesk streams apply [--allow-shrink] [--dry-run] [flags]\n       newsdesk streams show [flags]\n"},
		{[]string{"subscribe", "a.>", "b.>"}, exitUsage, "newsdesk subscribe: give one SUBJECT or --watch NAME\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runMain(t, "", tc.args...)
			if code != tc.code || stderr != tc.wantStderr || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d, stderr %q, no stdout", code, stderr, stdout, tc.code, tc.wantStderr)
			}
		})
	}
}

// TestReportMapsErrorsToExitStatuses checks the one place that turns a
// command's error into a message and an exit status.
func TestReportMapsErrorsToExitStatuses(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		err  error
		code int
		want string
	}{
		{"nil", nil, exitOK, ""},
		{"plain", boom, exitFailed, "newsdesk x: boom\n"},
		{"usage", usageError(boom), exitUsage, "newsdesk x: boom\n"},
		{"wrapped usage", errors.Join(usagef("--since: %w", boom)), exitUsage, "newsdesk x: --since: boom\n"},
		{"reported", reported(exitLeased), exitLeased, ""},
		{"help", reported(exitOK), exitOK, ""},
		{"named", as("x sub", usageError(boom)), exitUsage, "newsdesk x sub: boom\n"},
		{"named reported", as("x sub", reported(exitUsage)), exitUsage, ""},
		{"joined", errors.Join(boom, errors.New("second")), exitFailed, "newsdesk x: boom\nnewsdesk x: second\n"},
		{"named joined", as("x --mode", errors.Join(boom, errors.New("second"))), exitFailed, "newsdesk x --mode: boom\nnewsdesk x --mode: second\n"},
		{"hint", withHint(usageError(boom), "  here\n"), exitUsage, "newsdesk x: boom\n  here\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			if code := report(&out, "x", tc.err); code != tc.code || out.String() != tc.want {
				t.Errorf("report = %d, %q; want %d, %q", code, out.String(), tc.code, tc.want)
			}
		})
	}
}
