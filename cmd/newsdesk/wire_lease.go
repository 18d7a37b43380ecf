package main

import (
	"context"

	"newsdesk/crawler"
)

// LeaseHolder makes leaser a crawler.HolderReader, so a crawl reports a
// lease whose holder stopped renewing it as stale.
func (l leaser) LeaseHolder(ctx context.Context, name string) (crawler.Holder, bool, error) {
	h, found, err := l.s.LeaseHolder(ctx, name)
	return crawler.Holder{Instance: h.Instance, Renewed: h.Renewed, Expires: h.Expires}, found, err
}
