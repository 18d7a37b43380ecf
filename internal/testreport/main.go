// Command testreport runs `go test -json` with the given arguments, prints
// what plain `go test` prints (ok and FAIL lines, the output of failed
// tests), and ends with a loud list of the tests that were skipped and why:
// an integration test skipped because NEWSDESK_TEST_ES_URL is unset must
// not hide behind an "ok" line. It exits with go test's status.
//
//	go run ./internal/testreport -count=1 ./...
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
)

func main() {
	cmd := exec.Command("go", append([]string{"test", "-json"}, os.Args[1:]...)...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(1)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testreport: starting go test:", err)
		os.Exit(1)
	}
	r := newReport(os.Stdout)
	readErr := r.read(stdout)
	waitErr := cmd.Wait()
	r.printSkips()
	os.Exit(exitCode(readErr, waitErr, r.failed))
}

// exitCode is go test's status, or 1 when the stream said a test failed
// or could not be read.
func exitCode(readErr, waitErr error, failed bool) int {
	var exit *exec.ExitError
	switch {
	case errors.As(waitErr, &exit):
		return exit.ExitCode()
	case waitErr != nil || readErr != nil || failed:
		return 1
	}
	return 0
}

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Elapsed    float64
	Output     string
}

// skip is one skipped test and the lines it logged: its reason.
type skip struct {
	pkg, test, reason string
}

// report turns the event stream into plain go test output plus skips.
type report struct {
	w      io.Writer
	output map[string][]string // package + "\x00" + test → its output lines
	skips  []skip
	failed bool
}

func newReport(w io.Writer) *report {
	return &report{w: w, output: map[string][]string{}}
}

func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Fprintln(r.w, sc.Text()) // not an event: pass it on
			continue
		}
		r.handle(e)
	}
	return sc.Err()
}

func (r *report) handle(e event) {
	key := e.Package + "\x00" + e.Test
	switch e.Action {
	case "build-output":
		fmt.Fprint(r.w, e.Output)
	case "output":
		r.output[key] = append(r.output[key], e.Output)
	case "skip":
		if e.Test != "" {
			r.skips = append(r.skips, skip{e.Package, e.Test, reason(r.output[key])})
		} else {
			r.printLines(key, func(l string) bool { return strings.Contains(l, "no test files") })
		}
		delete(r.output, key)
	case "fail":
		r.failed = true
		if e.Test != "" {
			r.printLines(key, func(l string) bool { return !strings.HasPrefix(l, "=== ") })
		} else {
			r.printLines(key, func(l string) bool { return !strings.HasPrefix(l, "=== ") && !strings.HasPrefix(l, "--- ") })
		}
		delete(r.output, key)
	case "pass":
		if e.Test == "" {
			fmt.Fprintf(r.w, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
		}
		delete(r.output, key)
	}
}

// printLines prints the buffered output of key that keep selects.
func (r *report) printLines(key string, keep func(string) bool) {
	for _, l := range r.output[key] {
		if keep(l) {
			fmt.Fprint(r.w, l)
		}
	}
}

// reason is what a skipped test logged, without the framework's lines.
func reason(lines []string) string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return "(no reason given)"
	}
	out = slices.DeleteFunc(out, func(l string) bool { // the same line, once with file:line
		return slices.ContainsFunc(out, func(o string) bool { return o != l && strings.HasSuffix(o, ": "+l) })
	})
	return strings.Join(out, " / ")
}

// printSkips ends the run with the skipped tests, sorted, impossible to
// miss at the bottom of a terminal.
func (r *report) printSkips() {
	if len(r.skips) == 0 {
		return
	}
	sort.Slice(r.skips, func(i, j int) bool {
		a, b := r.skips[i], r.skips[j]
		return a.pkg < b.pkg || (a.pkg == b.pkg && a.test < b.test)
	})
	bar := strings.Repeat("!", 72)
	fmt.Fprintf(r.w, "\n%s\n!!! %d TEST(S) SKIPPED: what they cover was NOT tested\n%s\n", bar, len(r.skips), bar)
	for _, s := range r.skips {
		fmt.Fprintf(r.w, "SKIP %s %s\n     %s\n", s.pkg, s.test, s.reason)
	}
	fmt.Fprintln(r.w, bar)
}
