#!/usr/bin/env bash
# elasticsearch.sh: fetch, cache, start and stop a real, local Elasticsearch
# for newsdesk's tests and for development.
#
# Usage: scripts/elasticsearch.sh start|stop|status|url
#
#   start   installs what is missing, starts one single-node Elasticsearch on
#           127.0.0.1 and waits until it is yellow; the last line on stdout is
#           its URL. Starting one that already runs just prints the URL.
#   stop    stops it (TERM, then KILL after a timeout) and removes the data
#           directory when the script created it.
#   status  says whether it runs and how healthy it is; exits 3 when stopped.
#   url     prints the URL when it runs; exits 1 otherwise.
#
# Settings (environment):
#   NEWSDESK_ES_PORT     HTTP port (default 9200)
#   NEWSDESK_ES_HEAP     JVM heap, e.g. 512m or 1g (default 512m)
#   NEWSDESK_ES_STATE    state dir: pid, logs, per-instance config
#                        (default /tmp/newsdesk-es); one instance per state dir
#   NEWSDESK_ES_DATA     data dir to use and keep (default: a fresh temp dir
#                        per start, removed by stop)
#   NEWSDESK_ES_HOME     where the distribution is unpacked (default
#                        /var/cache/newsdesk/elasticsearch-VERSION)
#   NEWSDESK_M2_REPO     Maven local repository (default ~/.m2/repository)
#   ES_JAVA_HOME         JDK to run with (default: a JDK 17+ under /usr/lib/jvm)
#   NEWSDESK_ES_STOP_TIMEOUT  seconds between TERM and KILL (default 30)
#
# The distribution is Elastic's minimal "integ-test-zip" from Maven Central: no
# bundled JDK and only core modules (no analysis-common, so no "english"
# analyzer). Security is off and it listens on loopback only: it is for tests
# and development, never for production.
set -euo pipefail

readonly ES_VERSION=8.19.7
readonly ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
readonly SERVICE_USER=newsdesk-es
readonly HEALTH_TIMEOUT=180

PORT="${NEWSDESK_ES_PORT:-9200}"
HEAP="${NEWSDESK_ES_HEAP:-512m}"
STATE="${NEWSDESK_ES_STATE:-/tmp/newsdesk-es}"
STOP_TIMEOUT="${NEWSDESK_ES_STOP_TIMEOUT:-30}"
URL="http://127.0.0.1:${PORT}"

# Files in the state dir.
PID_FILE="$STATE/elasticsearch.pid" # written by Elasticsearch itself (-p)
PORT_FILE="$STATE/port"             # the port of the running instance
DATA_FILE="$STATE/data-dir"         # the data dir in use
TEMP_DATA_FILE="$STATE/data-is-temp" # present when stop must remove the data dir
CONSOLE_LOG="$STATE/console.log"    # output of the launcher
LOG_DIR="$STATE/logs"               # Elasticsearch's own logs (path.logs)

log() { echo "elasticsearch.sh: $*" >&2; }
die() {
	log "$*"
	exit 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# ---------------------------------------------------------------------------
# Installation
# ---------------------------------------------------------------------------

# ensure_tools installs maven, a JDK, unzip and curl on a fresh Debian machine
# when any of them is missing. Without root it can only say what is missing.
ensure_tools() {
	local missing=()
	local tool
	for tool in mvn java unzip curl; do
		command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	is_root || die "missing ${missing[*]}; install them (apt-get install maven openjdk-17-jre-headless unzip curl) or run as root"
	log "installing maven, openjdk-17, unzip, curl (missing: ${missing[*]})"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update >&2
	apt-get install -y maven openjdk-17-jre-headless unzip curl >&2
}

# java_major prints the major version of the JDK at $1, or nothing.
java_major() {
	local home=$1 version=""
	if [[ -f "$home/release" ]]; then
		version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
	fi
	if [[ -z "$version" && -x "$home/bin/java" ]]; then
		version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
	fi
	version=${version#1.} # 1.8 -> 8
	echo "${version%%[.+-]*}"
}

# find_java sets ES_JAVA_HOME: the environment's when set, else a JDK 17+ from
# /usr/lib/jvm, preferring the LTS releases this Elasticsearch is tested on.
find_java() {
	if [[ -n "${ES_JAVA_HOME:-}" ]]; then
		[[ -x "$ES_JAVA_HOME/bin/java" ]] || die "ES_JAVA_HOME=$ES_JAVA_HOME has no bin/java"
		return 0
	fi
	local preferred found="" dir major
	for preferred in 21 17 any; do
		for dir in /usr/lib/jvm/*/; do
			dir=${dir%/}
			[[ -x "$dir/bin/java" ]] || continue
			major=$(java_major "$dir")
			[[ "$major" =~ ^[0-9]+$ ]] || continue
			if [[ "$preferred" == any && "$major" -ge 17 ]] || [[ "$major" == "$preferred" ]]; then
				found=$dir
				break 2
			fi
		done
	done
	[[ -n "$found" ]] || die "no JDK 17+ under /usr/lib/jvm; install openjdk-17-jre-headless or set ES_JAVA_HOME"
	ES_JAVA_HOME=$(readlink -f "$found")
	export ES_JAVA_HOME
}

# es_home prints the install dir. Root shares one in /var/cache; another user
# falls back to its own cache when /var/cache/newsdesk is not writable.
es_home() {
	if [[ -n "${NEWSDESK_ES_HOME:-}" ]]; then
		echo "$NEWSDESK_ES_HOME"
	elif is_root || [[ -d /var/cache/newsdesk/elasticsearch-$ES_VERSION ]] || [[ -w /var/cache/newsdesk ]]; then
		echo "/var/cache/newsdesk/elasticsearch-$ES_VERSION"
	else
		echo "${XDG_CACHE_HOME:-$HOME/.cache}/newsdesk/elasticsearch-$ES_VERSION"
	fi
}

# install_es fetches the zip with Maven (cached in ~/.m2) and unpacks it once
# into ES_HOME. The install is never written to at run time (each instance has
# its own config copy), so it stays owned by its installer and is made
# world-readable: the service user needs only to read it, and /root, where the
# zip lives, is not readable by other users.
install_es() {
	[[ -x "$ES_HOME/bin/elasticsearch" ]] && return 0
	local repo="${NEWSDESK_M2_REPO:-$HOME/.m2/repository}"
	local zip="$repo/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
	if [[ ! -f "$zip" ]]; then
		log "fetching $ES_ARTIFACT with maven"
		mvn -q -B -Dstyle.color=never dependency:get -Dartifact="$ES_ARTIFACT" -Dtransitive=false \
			-Dmaven.repo.local="$repo" >&2
	fi
	[[ -f "$zip" ]] || die "maven did not put the zip at $zip"

	local parent
	parent=$(dirname "$ES_HOME")
	mkdir -p "$parent"
	chmod 755 "$parent"
	# Unpack beside the target and rename, so a half-unpacked tree is never used.
	local tmp
	tmp=$(mktemp -d "$parent/.unpack.XXXXXX")
	log "unpacking $zip into $ES_HOME"
	unzip -q "$zip" -d "$tmp"
	chmod -R a+rX "$tmp"
	if ! mv -T "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME" 2>/dev/null; then
		# Another start unpacked it first.
		[[ -x "$ES_HOME/bin/elasticsearch" ]] || die "could not move the unpacked tree to $ES_HOME"
	fi
	rm -rf "$tmp"
}

# ensure_user sets RUN_AS: the dedicated system user when root (Elasticsearch
# refuses to run as root), else the current user.
ensure_user() {
	if ! is_root; then
		RUN_AS=$(id -un)
		return 0
	fi
	if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
		log "creating system user $SERVICE_USER"
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin --user-group "$SERVICE_USER"
	fi
	RUN_AS=$SERVICE_USER
}

# ---------------------------------------------------------------------------
# Running instance
# ---------------------------------------------------------------------------

# running_pid prints the pid of the instance of this state dir when its process
# is alive and is Elasticsearch (a stale pid file may name a recycled pid).
running_pid() {
	[[ -f "$PID_FILE" ]] || return 1
	local pid
	pid=$(tr -dc '0-9' <"$PID_FILE")
	[[ -n "$pid" ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'org.elasticsearch' || return 1
	echo "$pid"
}

# running_url prints the URL of the running instance (its recorded port).
running_url() {
	local port=$PORT
	[[ -f "$PORT_FILE" ]] && port=$(<"$PORT_FILE")
	echo "http://127.0.0.1:$port"
}

# health prints the cluster health JSON of $1, waiting up to $2 seconds for yellow.
health() {
	curl -fsS --max-time $(($2 + 5)) "$1/_cluster/health?wait_for_status=yellow&timeout=${2}s" 2>/dev/null
}

# show_log_tail prints the end of the launcher's output (which holds early
# failures such as a wrong JDK) and of the node's main log.
show_log_tail() {
	local f
	for f in "$CONSOLE_LOG" "$LOG_DIR/newsdesk-test-$PORT.log"; do
		[[ -s "$f" ]] || continue
		echo "----- tail of $f -----" >&2
		tail -n 30 "$f" >&2
	done
}

# remove_data deletes the data dir when this script created it.
remove_data() {
	if [[ -f "$TEMP_DATA_FILE" && -f "$DATA_FILE" ]]; then
		local dir
		dir=$(<"$DATA_FILE")
		[[ -n "$dir" && "$dir" != / ]] && rm -rf -- "$dir"
	fi
	rm -f "$DATA_FILE" "$TEMP_DATA_FILE"
}

cmd_start() {
	mkdir -p "$STATE"
	# One start at a time per state dir, so two racing starts do not launch two
	# servers; flock is released when the script exits.
	exec 9>"$STATE/.lock"
	flock 9

	local pid
	if pid=$(running_pid); then
		local url
		url=$(running_url)
		if health "$url" 60 >/dev/null; then
			log "already running (pid $pid)"
			echo "$url"
			return 0
		fi
		die "an instance runs (pid $pid) but $url is not healthy; run stop first"
	fi
	if curl -s -o /dev/null --max-time 2 "$URL/"; then
		die "something already listens on port $PORT; choose another NEWSDESK_ES_PORT"
	fi

	ensure_tools
	find_java
	ES_HOME=$(es_home)
	install_es
	ensure_user

	# A previous instance that died leaves its files: clear them.
	remove_data
	rm -rf "$LOG_DIR" "$STATE/config" "$PID_FILE" "$CONSOLE_LOG"

	local data
	if [[ -n "${NEWSDESK_ES_DATA:-}" ]]; then
		data=$NEWSDESK_ES_DATA
		mkdir -p "$data"
		echo "$data" >"$DATA_FILE"
	else
		data=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-es-data.XXXXXX")
		echo "$data" >"$DATA_FILE"
		touch "$TEMP_DATA_FILE"
	fi
	echo "$PORT" >"$PORT_FILE"

	# Each instance gets its own config dir: Elasticsearch writes its keystore
	# there on first start, and the shared install stays read-only.
	cp -R "$ES_HOME/config" "$STATE/config"
	mkdir -p "$LOG_DIR"
	touch "$CONSOLE_LOG"
	if [[ "$RUN_AS" != "$(id -un)" ]]; then
		chown -R "$RUN_AS:" "$data" "$STATE/config" "$LOG_DIR"
		chown "$RUN_AS:" "$STATE"
	fi

	local -a launch=(env
		ES_JAVA_HOME="$ES_JAVA_HOME"
		ES_PATH_CONF="$STATE/config"
		ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP ${NEWSDESK_ES_JAVA_OPTS:-}"
		"$ES_HOME/bin/elasticsearch"
		-d -p "$PID_FILE"
		-E discovery.type=single-node
		-E xpack.security.enabled=false
		-E network.host=127.0.0.1
		-E http.port="$PORT"
		-E path.data="$data"
		-E path.logs="$LOG_DIR"
		-E cluster.name="newsdesk-test-$PORT"
		-E node.name=newsdesk-es
		-E cluster.routing.allocation.disk.threshold_enabled=false
	)
	if [[ "$RUN_AS" != "$(id -un)" ]]; then
		launch=(runuser -u "$RUN_AS" -- "${launch[@]}")
	fi

	log "starting Elasticsearch $ES_VERSION on $URL as $RUN_AS (java: $ES_JAVA_HOME, data: $data)"
	# -d: the launcher returns once the node runs (or failed), leaving the
	# server daemonized with its pid in PID_FILE.
	(cd "$STATE" && "${launch[@]}" >>"$CONSOLE_LOG" 2>&1) &
	local launcher=$!

	local deadline=$((SECONDS + HEALTH_TIMEOUT))
	while ((SECONDS < deadline)); do
		if health "$URL" 2 >/dev/null; then
			wait "$launcher" 2>/dev/null || true
			log "ready (pid $(running_pid || echo '?'))"
			echo "$URL"
			return 0
		fi
		if ! kill -0 "$launcher" 2>/dev/null; then
			# The launcher is gone: fine if the daemon runs, fatal if not.
			if ! wait "$launcher" || ! running_pid >/dev/null; then
				log "Elasticsearch failed to start"
				show_log_tail
				cmd_stop >/dev/null 2>&1 || true
				exit 1
			fi
		fi
		sleep 1
	done
	log "Elasticsearch was not yellow within ${HEALTH_TIMEOUT}s"
	show_log_tail
	cmd_stop >/dev/null 2>&1 || true
	exit 1
}

cmd_stop() {
	local pid
	if pid=$(running_pid); then
		log "stopping Elasticsearch (pid $pid)"
		kill -TERM "$pid" 2>/dev/null || true
		local deadline=$((SECONDS + STOP_TIMEOUT))
		while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
			sleep 1
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "still running after ${STOP_TIMEOUT}s; sending KILL"
			kill -KILL "$pid" 2>/dev/null || true
			while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
		fi
	else
		log "not running"
	fi
	remove_data
	rm -f "$PID_FILE" "$PORT_FILE"
	rm -rf "$STATE/config"
}

cmd_status() {
	local pid url
	if ! pid=$(running_pid); then
		echo "stopped"
		exit 3
	fi
	url=$(running_url)
	local h
	h=$(curl -fsS --max-time 5 "$url/_cluster/health" 2>/dev/null || echo unreachable)
	echo "running pid=$pid url=$url data=$(cat "$DATA_FILE" 2>/dev/null) health=$h"
}

cmd_url() {
	running_pid >/dev/null || {
		log "not running"
		exit 1
	}
	running_url
}

main() {
	case "${1:-}" in
	start) cmd_start ;;
	stop) cmd_stop ;;
	status) cmd_status ;;
	url) cmd_url ;;
	*)
		echo "usage: $0 start|stop|status|url" >&2
		exit 2
		;;
	esac
}

main "$@"
