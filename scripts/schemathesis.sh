#!/usr/bin/env bash
# schemathesis.sh: fuzz the search API against its OpenAPI document.
#
# Usage: scripts/schemathesis.sh
#
# Builds newsdesk, seeds an embedded index with a few articles
# (scripts/schemathesis-seed), starts `newsdesk serve` on a free loopback
# port and runs Schemathesis (pinned, from PyPI, in a venv under the cache
# dir) over api/openapi.yaml with the checks below: no 5xx, documented
# status codes, content types, headers and response schemas, and rejection
# of requests the document says are invalid. Exits non-zero when a check
# fails or the server cannot start.
#
# Settings (environment):
#   SCHEMATHESIS_VERSION       pinned version (default below)
#   SCHEMATHESIS_MAX_EXAMPLES  test cases per operation and phase (default 100)
#   SCHEMATHESIS_SEED          random seed (default: a fixed one, so CI runs
#                              are reproducible; "random" for a fresh one)
#   NEWSDESK_CACHE             cache dir (default ${XDG_CACHE_HOME:-~/.cache}/newsdesk)
#   NEWSDESK_TEST_ES_URL       when set, a second run against a `newsdesk
#                              serve` on this Elasticsearch, over an index of
#                              its own (deleted afterwards)
set -euo pipefail

version=${SCHEMATHESIS_VERSION:-4.32.5}
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-100}
seed=${SCHEMATHESIS_SEED:-20261203}
cache=${NEWSDESK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newsdesk}
venv=$cache/venv-schemathesis
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-schemathesis.XXXXXX")
server_pid=
es_alias=
stop_server() {
	if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	server_pid=
}
nats_pid=
cleanup() {
	stop_server
	if [[ -n $nats_pid ]]; then kill -TERM "$nats_pid" 2>/dev/null || true; wait "$nats_pid" 2>/dev/null || true; fi
	if [[ -n $es_alias ]]; then
		for index in $(curl -fsS "$NEWSDESK_TEST_ES_URL/_alias/$es_alias" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)))' 2>/dev/null); do
			curl -fsS -X DELETE "$NEWSDESK_TEST_ES_URL/$index" >/dev/null || log "could not delete index $index"
		done
		curl -fsS -X DELETE "$NEWSDESK_TEST_ES_URL/_index_template/$es_alias-template" >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

log() { printf 'schemathesis.sh: %s\n' "$*" >&2; }

# The venv, (re)made when missing or of another version.
if [[ "$(cat "$venv/.version" 2>/dev/null)" != "$version" ]]; then
	log "installing schemathesis $version into $venv"
	rm -rf "$venv"
	python3 -m venv "$venv"
	"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
	echo "$version" >"$venv/.version"
fi

log "building newsdesk"
(cd "$root" && go build -o "$work/newsdesk" ./cmd/newsdesk && go build -o "$work/seed" ./scripts/schemathesis-seed &&
	go build -o "$work/nats-server" github.com/nats-io/nats-server/v2)

# A NATS server of its own (random port), so /api/watches saves and lists
# watches instead of answering 503 (no server: a 5xx the fuzzer flags).
mkdir -p "$work/nats-ports"
"$work/nats-server" -a 127.0.0.1 -p -1 -js -sd "$work/nats" --ports_file_dir "$work/nats-ports" >"$work/nats.log" 2>&1 &
nats_pid=$!
nats_url=
for _ in $(seq 1 100); do
	nats_url=$(cat "$work"/nats-ports/*.ports 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["nats"][0])' 2>/dev/null) && [[ -n $nats_url ]] && break
	sleep 0.1
done
[[ -n $nats_url ]] || { log "nats-server did not start:"; cat "$work/nats.log" >&2; exit 1; }
seed_args=(--seed "$seed")
[[ $seed == random ]] && seed_args=()

# fuzz NAME ENV...: starts `newsdesk serve` with the environment ENV, on a
# port it picks itself (:0) and prints, and runs Schemathesis against it.
fuzz() {
	local name=$1 base= status=0
	shift
	env "$@" "$work/newsdesk" serve -addr 127.0.0.1:0 -log-level warn \
		>"$work/serve-$name.out" 2>"$work/serve-$name.err" &
	server_pid=$!
	for _ in $(seq 1 100); do
		base=$(sed -n 's/^serving search on \(http:[^ ]*\)$/\1/p' "$work/serve-$name.out")
		[[ -n $base ]] && break
		if ! kill -0 "$server_pid" 2>/dev/null; then
			log "newsdesk serve ($name) exited:"; cat "$work/serve-$name.err" >&2; return 1
		fi
		sleep 0.1
	done
	if [[ -z $base ]]; then
		log "newsdesk serve ($name) did not start in 10s:"; cat "$work/serve-$name.err" >&2; return 1
	fi
	if ! curl -fsS "$base/readyz" >/dev/null; then
		log "newsdesk serve ($name) at $base is not ready"; return 1
	fi
	log "fuzzing $base ($name index)"
	(cd "$work" && "$venv/bin/schemathesis" run "$root/api/openapi.yaml" --url "$base" \
		--checks "$checks" --max-examples "$max_examples" "${seed_args[@]}" \
		--workers 1 --generation-database none --no-color) || status=$?
	if [[ -s $work/serve-$name.err ]]; then
		log "newsdesk serve ($name) logged:"; tail -n 50 "$work/serve-$name.err" >&2
	fi
	stop_server
	return "$status"
}

status=0
"$work/seed" "$work/data/index" >/dev/null
fuzz embedded NEWSDESK_DATA_DIR="$work/data" NEWSDESK_NATS_URL="$nats_url" || status=1
if [[ -n ${NEWSDESK_TEST_ES_URL:-} ]]; then
	es_alias=newsdesk-schemathesis-$$-$RANDOM
	"$work/seed" -es "$NEWSDESK_TEST_ES_URL" -index "$es_alias" >/dev/null
	mkdir -p "$work/es-data"
	printf 'elasticsearch:\n  index: %s\n' "$es_alias" >"$work/es.yaml"
	fuzz elasticsearch NEWSDESK_DATA_DIR="$work/es-data" NEWSDESK_ES_URL="$NEWSDESK_TEST_ES_URL" NEWSDESK_NATS_URL="$nats_url" \
		NEWSDESK_CONFIG="$work/es.yaml" || status=1
fi
exit "$status"
