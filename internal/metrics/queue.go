package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ConsumerStat is one durable consumer's backlog.
type ConsumerStat struct {
	Consumer   string
	Pending    uint64 // not yet delivered
	AckPending uint64 // delivered, not yet acknowledged
}

// QueueStats reads the consumers' backlogs and the dead-letter stream's
// message count; cmd/newsdesk implements it over the NATS bus.
type QueueStats func(ctx context.Context) (consumers []ConsumerStat, deadLetters uint64, err error)

// queueTimeout bounds one read of the queues during a scrape, well under
// Prometheus' default scrape timeout of 10s.
const queueTimeout = 3 * time.Second

var (
	pendingDesc = prometheus.NewDesc("newsdesk_consumer_pending",
		"Events in the article stream the durable consumer has not been delivered yet.", []string{"consumer"}, nil)
	ackPendingDesc = prometheus.NewDesc("newsdesk_consumer_ack_pending",
		"Events delivered to the durable consumer and not acknowledged yet.", []string{"consumer"}, nil)
	dlqDesc = prometheus.NewDesc("newsdesk_dlq_messages",
		"Events in the dead-letter stream: events a consumer gave up on (see `newsdesk dlq list`).", nil, nil)
	queueUpDesc = prometheus.NewDesc("newsdesk_queue_stats_up",
		"1 when the last scrape could read the consumers and the dead-letter stream from NATS, else 0.", nil, nil)
)

// queueCollector reads the queues at scrape time, so the values are never
// older than the scrape.
type queueCollector struct{ stats QueueStats }

// WatchQueues adds the consumer backlog and dead-letter gauges, read with
// stats at every scrape.
func (m *Metrics) WatchQueues(stats QueueStats) {
	m.Registry.MustRegister(queueCollector{stats})
}

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- ackPendingDesc
	ch <- dlqDesc
	ch <- queueUpDesc
}

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	consumers, dlq, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(queueUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(queueUpDesc, prometheus.GaugeValue, 1)
	for _, s := range consumers {
		ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(s.Pending), s.Consumer)
		ch <- prometheus.MustNewConstMetric(ackPendingDesc, prometheus.GaugeValue, float64(s.AckPending), s.Consumer)
	}
	ch <- prometheus.MustNewConstMetric(dlqDesc, prometheus.GaugeValue, float64(dlq))
}
