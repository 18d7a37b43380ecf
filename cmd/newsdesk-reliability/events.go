package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/news"
)

// The streams and consumer newsdesk uses by default (events.Default*).
const (
	articleStream = "NEWSDESK_ARTICLES"
	dlqStream     = "NEWSDESK_DLQ"
	indexerName   = news.IndexerConsumer
	testSource    = "reliability"
)

// testArticle is story i of a scenario at a revision, with its own text so
// no two stories look like syndicated copies of one another.
func testArticle(scenario string, i, revision int) news.Article {
	url := fmt.Sprintf("https://reliability.example/%s/%d", scenario, i)
	return news.Article{
		ID:        news.DocID(url),
		URL:       url,
		Source:    testSource,
		Title:     fmt.Sprintf("Regulator fines tracker %d (%s) revision %d", i, scenario, revision),
		Authors:   []string{"Rel Iability"},
		Published: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		Language:  "en",
		Text: fmt.Sprintf("Story %d of scenario %s, revision %d. The data protection authority fined the "+
			"tracking company for sharing location data of %d users without consent.", i, scenario, revision, 1000+i),
		WordCount: 30,
		Topics:    []string{"privacy"},
		Paywall:   news.Paywall{Kind: news.PaywallNone, Signals: []string{}},
		FetchedAt: time.Now().UTC(),
		Revision:  revision,
	}
}

// rawEvent is a message as it goes on the wire: what the crawler publishes,
// or a deliberately broken one.
type rawEvent struct {
	subject, msgID string
	data           []byte
}

func articleEvent(a news.Article) rawEvent {
	kind := news.ArticleCreated
	if a.Revision > 1 {
		kind = news.ArticleUpdated
	}
	ev := news.NewArticleEvent(kind, a, time.Now())
	data, err := json.Marshal(ev)
	if err != nil {
		panic(err) // a plain struct always encodes
	}
	return rawEvent{subject: news.ArticleSubject(kind, a.Source, news.TopicToken(a.Topics)), msgID: ev.ID, data: data}
}

// publisher publishes events as the crawler does (Nats-Msg-Id, expected
// stream) and, like it must, rides out a server restart: an event is
// retried, with the same id, until it is acknowledged or ctx ends.
type publisher struct {
	nc *nats.Conn
	js jetstream.JetStream
}

func newPublisher(url string) (*publisher, error) {
	nc, err := nats.Connect(url, nats.Name("newsdesk-reliability"), nats.MaxReconnects(-1),
		nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("connecting to NATS %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return &publisher{nc: nc, js: js}, nil
}

func (p *publisher) close() { p.nc.Close() }

// publish sends evs in order and returns how many were acknowledged.
func (p *publisher) publish(ctx context.Context, evs []rawEvent) (int, error) {
	for i, ev := range evs {
		if err := p.publishOne(ctx, ev); err != nil {
			return i, err
		}
	}
	return len(evs), nil
}

func (p *publisher) publishOne(ctx context.Context, ev rawEvent) error {
	msg := &nats.Msg{Subject: ev.subject, Data: ev.data,
		Header: nats.Header{"Content-Type": []string{"application/cloudevents+json; charset=UTF-8"}}}
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := p.js.PublishMsg(pctx, msg, jetstream.WithMsgID(ev.msgID), jetstream.WithExpectStream(articleStream))
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("publishing %s: %w (last error: %v)", ev.msgID, ctx.Err(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ensureStream creates the article stream as newsdesk would, so events can
// be published before any newsdesk process ran.
func (p *publisher) ensureStream(ctx context.Context) error {
	_, err := p.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: articleStream, Subjects: []string{news.ArticleSubjects}, Storage: jetstream.FileStorage,
		Replicas: 1, MaxAge: 720 * time.Hour, Duplicates: 10 * time.Minute,
	})
	if err != nil {
		return fmt.Errorf("creating stream %s: %w", articleStream, err)
	}
	return nil
}

// streamMsgs is the number of messages in stream, 0 when it does not exist.
func (p *publisher) streamMsgs(ctx context.Context, stream string) (uint64, error) {
	s, err := p.js.Stream(ctx, stream)
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

// acked is the indexer consumer's ack floor: how many events it finished.
func (p *publisher) acked(ctx context.Context) uint64 {
	c, err := p.js.Consumer(ctx, articleStream, indexerName)
	if err != nil {
		return 0
	}
	info, err := c.Info(ctx)
	if err != nil {
		return 0
	}
	return info.AckFloor.Stream
}

// backlog is how many events the indexer consumer has not finished: not
// yet delivered, or delivered and not acknowledged.
func (p *publisher) backlog(ctx context.Context) uint64 {
	c, err := p.js.Consumer(ctx, articleStream, indexerName)
	if err != nil {
		return 0
	}
	info, err := c.Info(ctx)
	if err != nil {
		return 0
	}
	return info.NumPending + uint64(info.NumAckPending)
}

// deadLetterIDs reads the dead-letter stream and returns the original
// Nats-Msg-Id of each dead letter, with how often it is there.
func (p *publisher) deadLetterIDs(ctx context.Context) (map[string]int, error) {
	ids := map[string]int{}
	n, err := p.streamMsgs(ctx, dlqStream)
	if err != nil || n == 0 {
		return ids, nil
	}
	c, err := p.js.OrderedConsumer(ctx, dlqStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return nil, err
	}
	for range n {
		msg, err := c.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			return ids, err
		}
		ids[msg.Headers().Get("Newsdesk-Dlq-Msg-Id")]++
	}
	return ids, nil
}

// es is the Elasticsearch the indexer writes to, read back over plain HTTP.
type es struct{ url, index string }

func (e es) post(path string, body any) (*http.Response, error) {
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			return nil, err
		}
	}
	return http.Post(e.url+path, "application/json", &buf)
}

// count refreshes the index and counts its documents.
func (e es) count() (int, error) {
	if resp, err := e.post("/"+e.index+"/_refresh", nil); err == nil {
		resp.Body.Close()
	}
	resp, err := http.Get(e.url + "/" + e.index + "/_count")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("counting %s: %s", e.index, resp.Status)
	}
	var body struct {
		Count int `json:"count"`
	}
	return body.Count, json.NewDecoder(resp.Body).Decode(&body)
}

// revisions looks ids up and returns the stored revision of each found.
func (e es) revisions(ids []string) (map[string]int, error) {
	found := map[string]int{}
	for start := 0; start < len(ids); start += 1000 {
		chunk := ids[start:min(start+1000, len(ids))]
		resp, err := e.post("/"+e.index+"/_mget?_source_includes=revision", map[string]any{"ids": chunk})
		if err != nil {
			return nil, err
		}
		var body struct {
			Docs []struct {
				ID     string `json:"_id"`
				Found  bool   `json:"found"`
				Source struct {
					Revision int `json:"revision"`
				} `json:"_source"`
			} `json:"docs"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("looking up ids in %s: %w", e.index, err)
		}
		for _, d := range body.Docs {
			if d.Found {
				found[d.ID] = d.Source.Revision
			}
		}
	}
	return found, nil
}

// cleanup deletes the scenario's indices and template.
func (e es) cleanup() {
	resp, err := http.Get(e.url + "/_cat/indices/" + e.index + "-*?h=index")
	if err != nil {
		return
	}
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	resp.Body.Close()
	for _, name := range append(strings.Fields(buf.String()), "_index_template/"+e.index+"-template") {
		req, _ := http.NewRequest(http.MethodDelete, e.url+"/"+name, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
}
