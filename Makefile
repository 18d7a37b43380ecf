# newsdesk: `make run` runs the pipeline on this machine, `make test` tests it.
GO      ?= go
BIN     ?= bin/newsdesk
PKGS    ?= ./...
# staticcheck, fetched by `go run` from the module proxy (not a dependency of the module)
STATICCHECK ?= v0.8.2

.PHONY: all build demo run test test-race test-unit lint fmt bench bench-search eval es-start es-stop ci clean reliability

all: lint test

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/newsdesk

## demo: see it work offline: a bundled publisher site on loopback, crawled,
## indexed and searchable on http://127.0.0.1:8080 in seconds. The binary is
## exec'd, so Ctrl-C stops it and make reports no error.
demo:
	@$(GO) build -trimpath -o $(BIN) ./cmd/newsdesk && exec $(BIN) demo $(ARGS)

## run: the whole pipeline on one machine (embedded NATS and index, search on
## :8080). It crawls real publishers, so set crawl.user_agent (or
## NEWSDESK_USER_AGENT) to name you and a contact first. The binary is exec'd,
## so Ctrl-C stops it cleanly and make reports no error; ARGS='--no-crawl'.
run:
	@$(GO) build -trimpath -o $(BIN) ./cmd/newsdesk && exec $(BIN) run $(ARGS)

## test: unit, integration and end-to-end tests. Elasticsearch tests run when
## NEWSDESK_TEST_ES_URL is set (scripts/elasticsearch.sh start prints it) and
## are skipped otherwise, and listed with their reason at the end of the
## output (internal/testreport wraps `go test -json`, keeping its exit status);
## .ci/run always provides it.
test:
	@$(GO) run ./internal/testreport -count=1 $(PKGS)

## test-race: the race detector, in shuffled order, over the packages where
## it is affordable on CI's 2 cores: the concurrent ones (events: consumers,
## prefetch, acks against a real nats-server; the indexers' bulk writers and
## refreshers; alert, api) and the quick ones. Left out: cmd/... (whole
## pipelines, the browser and the benchmarks: minutes under -race), the
## CPU-bound single-goroutine text code (parser, topics, syndication: their
## equivalence tests run 5-10 times slower under -race and race nothing),
## and the crawler's hostile-server test (decompression bombs: past its
## bound under -race; the rest of the crawler runs).
RACE_PKGS ?= ./alert ./api ./archive ./config ./events ./indexer/... ./internal/metrics ./internal/testenv ./news ./schemas
test-race:
	$(GO) test -race -shuffle=on -count=1 $(RACE_PKGS)
	$(GO) test -race -shuffle=on -count=1 -skip '^TestHostile' ./crawler

## lint: formatting, vet, staticcheck and the layout rules of DESIGN.md
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run ./internal/layoutcheck
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

## bench: each stage against its nearest alternative in the same run,
## written to BENCHMARKS.md (cmd/newsdesk-bench; indexing rows need
## NEWSDESK_TEST_ES_URL), with growth rows (time per item and peak RSS at
## each size) for the crawl, indexing, the parser and WARC import. A few
## minutes; ARGS=-full for the full sizes (50,000 docs, an import of 100
## copies of the pages: much longer), ARGS='-only parser' for one stage.
bench:
	$(GO) run ./cmd/newsdesk-bench $(ARGS)

## eval: text-extraction quality and speed on the scrapinghub benchmark and
## trafilatura-dev (../shared/bench beside the checkout): newsdesk beside
## readeck's go-readability, go-trafilatura and Python trafilatura (a
## virtualenv under $${XDG_CACHE_HOME:-~/.cache}/newsdesk, made once from
## PyPI); flags: ARGS='-no-python', '-only newsdesk', '-worst 20',
## '-sets trafilatura-dev -page 0102'
eval:
	$(GO) run ./cmd/newsdesk-eval $(ARGS)

## bench-search: search latency through the API against the same queries sent
## straight to Elasticsearch, on 100,000 generated articles (NEWSDESK_BENCH_DOCS
## to change; needs NEWSDESK_TEST_ES_URL). Not part of `make test`.
bench-search:
	NEWSDESK_BENCH_DOCS=$${NEWSDESK_BENCH_DOCS:-100000} $(GO) test -run '^$$' -bench BenchmarkSearchOverhead -benchtime 400x -timeout 60m ./cmd/newsdesk/

## reliability: the fault suite: the real newsdesk binary as processes against
## a standalone nats-server and the real Elasticsearch (NEWSDESK_TEST_ES_URL),
## SIGKILLs, restarts, a drain, revisions out of order and bad events; prints
## a table and fails on anything lost or duplicated. The Elasticsearch restart
## runs on a private instance (scripts/elasticsearch.sh on its own port).
## ARGS='-events 2000' for a shorter run.
reliability:
	$(GO) run ./cmd/newsdesk-reliability -es-restart $(ARGS)

## es-start / es-stop: a real Elasticsearch for the tests (fetched from Maven Central, cached)
es-start:
	@scripts/elasticsearch.sh start

es-stop:
	@scripts/elasticsearch.sh stop

## ci: what .ci/run does, on this machine
ci:
	bash .ci/run

clean:
	rm -rf bin
