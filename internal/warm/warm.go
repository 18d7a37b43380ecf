package warm

import (
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/blevesearch/bleve/v2"
	_ "github.com/elastic/go-elasticsearch/v8"
	_ "github.com/elastic/go-elasticsearch/v8/esutil"
	_ "github.com/gocolly/colly/v2"
	_ "github.com/nats-io/nats-server/v2/server"
	_ "github.com/nats-io/nats.go"
	_ "github.com/nats-io/nats.go/jetstream"
	_ "go.yaml.in/yaml/v3"
)
