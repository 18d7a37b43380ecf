# newsdesk: `make run` runs the pipeline on this machine, `make test` tests it.
GO      ?= go
BIN     ?= bin/newsdesk
PKGS    ?= ./...
# staticcheck, fetched by `go run` from the module proxy (not a dependency of the module)
STATICCHECK ?= v0.8.2

.PHONY: all build demo run test test-unit lint fmt bench bench-search eval es-start es-stop ci clean reliability

all: lint test

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/newsdesk

## demo: see it work offline: a bundled publisher site on loopback, crawled,
## indexed and searchable on http://127.0.0.1:8080 in seconds (Ctrl-C stops)
demo:
	$(GO) run ./cmd/newsdesk demo

## run: the whole pipeline on one machine (embedded NATS and index, search on :8080)
run:
	$(GO) run ./cmd/newsdesk run

## test: unit, integration and end-to-end tests. Elasticsearch tests run when
## NEWSDESK_TEST_ES_URL is set (scripts/elasticsearch.sh start prints it) and
## are skipped loudly otherwise; .ci/run always provides it.
test:
	$(GO) test -count=1 $(PKGS)

## lint: formatting, vet, staticcheck and the layout rules of DESIGN.md
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run ./internal/layoutcheck
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

## bench: the benchmarks (figures are ratios against baselines in the same run)
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

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
