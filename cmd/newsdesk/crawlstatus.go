package main

import (
	"context"
	"sync"
	"time"

	"newsdesk/api"
	"newsdesk/crawler"
)

// crawlStatus is what `newsdesk run` knows of its crawls, for the search
// page to say why an empty index is empty. Safe for concurrent use.
type crawlStatus struct {
	mu sync.Mutex
	st api.Status
}

// snapshot is the status now.
func (c *crawlStatus) snapshot() api.Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st
}

func (c *crawlStatus) begin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.Crawling = true
}

// end records a pass that ended with sum and err, and when the next starts.
func (c *crawlStatus) end(sum crawler.Summary, err error, next time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st = api.Status{LastCrawl: time.Now(), LastArticles: sum.Articles, NextCrawl: next}
	if err != nil {
		c.st.LastCrawlErr = err.Error()
	}
}

// scheduledPass is one crawl pass of the schedule, recorded in p.status:
// what `run` does at every tick. A pass cut short by ctx (stopping) is
// not recorded as a failure.
func (p *pipeline) scheduledPass(ctx context.Context, sched crawler.Schedule) (crawler.Summary, error) {
	p.status.begin()
	sum, err := p.crawlOnce(ctx)
	if ctx.Err() != nil {
		err = nil
	}
	p.status.end(sum, err, sched.Next(time.Now()))
	return sum, err
}
