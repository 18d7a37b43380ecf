package main

import (
	"errors"
	"fmt"
	"io"
)

// exitError is a command's failure with the exit status it maps to. Main
// prints it once, as "newsdesk <command>: <err>", so commands only return.
type exitError struct {
	code int
	err  error  // nil: the command already reported it (help, a flag error, a summary on stdout)
	name string // the command as printed, when not the one Main ran ("streams apply")
	hint string // printed as is after the message (a caret under a query, a usage)
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is a bad flag, argument or config: nothing was done; exit 2.
func usageError(err error) error { return &exitError{code: exitUsage, err: err} }

// usagef is usageError with a formatted message.
func usagef(format string, args ...any) error { return usageError(fmt.Errorf(format, args...)) }

// reported exits with code and prints nothing more: the command already
// told the user (or, for exitOK after help, there is nothing to tell).
func reported(code int) error { return &exitError{code: code} }

// as names the command in the message when it is a subcommand or a mode
// ("dlq list", "index --reindex"); err keeps its exit status.
func as(name string, err error) error {
	if err == nil {
		return nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		c := *ee
		c.name = name
		return &c
	}
	return &exitError{code: exitFailed, err: err, name: name}
}

// withHint adds text printed after the message; err keeps its exit status.
func withHint(err error, hint string) error {
	var ee *exitError
	if !errors.As(err, &ee) {
		ee = &exitError{code: exitFailed, err: err}
	}
	c := *ee
	c.hint = hint
	return &c
}

// report prints a command's error once and returns its exit status: 0 for
// nil, the exitError's code, else 1. Joined errors print a line each.
func report(w io.Writer, name string, err error) int {
	if err == nil {
		return exitOK
	}
	code := exitFailed
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.name != "" {
			name = ee.name
		}
		if ee.err == nil {
			return code
		}
	}
	if top, ok := err.(*exitError); ok {
		err = top.err
	}
	lines := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		lines = j.Unwrap()
	}
	for _, e := range lines {
		fmt.Fprintf(w, "newsdesk %s: %v\n", name, e)
	}
	if ee != nil {
		fmt.Fprint(w, ee.hint)
	}
	return code
}
