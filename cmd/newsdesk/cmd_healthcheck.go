package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// runHealthcheck is `newsdesk healthcheck URL`: exit 0 when URL answers
// 2xx, else 1. It is the probe of a compose healthcheck or a Docker
// HEALTHCHECK in a distroless image, which has no curl or wget.
func runHealthcheck(ctx context.Context, args []string, stdio IO) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	bindHelp(fs, stdio)
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(errors.New("give one URL, e.g. http://127.0.0.1:8080/readyz"))
	}
	target := fs.Arg(0)
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("%q is not an http(s) URL", target)
	}
	u.User = nil // never print credentials
	if err := probe(ctx, u.String(), target, *timeout); err != nil {
		return fmt.Errorf("%s: %w", u.Redacted(), err)
	}
	return nil
}

// probe GETs target and fails unless the answer is 2xx.
func probe(ctx context.Context, shown, target string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("no answer: %w", stripURL(err, target, shown))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("answered %s: %s", resp.Status, body)
	}
	return nil
}

// stripURL keeps the URL with credentials out of an error from net/http.
func stripURL(err error, target, shown string) error {
	if ue, ok := err.(*url.Error); ok && target != shown {
		return ue.Err
	}
	return err
}
