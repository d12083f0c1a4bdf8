#!/usr/bin/env bash
# Live-metrics benchmark, run by hand (not in CI):   bench/live.sh
#
# One API instance (Release, as deployed) on its own PostgreSQL, and a load generator
# (bench/Live) on the same machine that measures, in one run:
#   1. how many concurrent event-stream subscribers the instance holds (target 10,000);
#   2. the instance's resident memory per open stream;
#   3. the time from a record's commit to the event carrying it at every subscriber, p50 / p99,
#      with BENCH_SUBSCRIBERS subscribers over BENCH_KEYS metrics and one change per second per metric
#      (target p99 under 1 s at 10,000 over 100).
# The reference in the same run is the same instance's plain GET of one metric (what a poller
# pays for one answer) with curl, so the stream's latency reads against a request's.
# The table is written to bench/results/<date>-live.md.
#
# The changes start with BENCH_WARMUP_SECONDS of unmeasured ones (the JIT and the thread pool
# settle, as the HTTP benchmarks warm up before measuring); their latency is reported apart.
# Environment: BENCH_SUBSCRIBERS (default 10000), BENCH_KEYS (100), BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (5),
# BENCH_WORK (scratch directory, default /tmp/metricsengine-live-bench; deleted at the start).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_WORK:-/tmp/metricsengine-live-bench}
SUBSCRIBERS=${BENCH_SUBSCRIBERS:-10000}
KEYS=${BENCH_KEYS:-100}
SECONDS_OF_CHANGES=${BENCH_SECONDS:-30}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-5}
PIDS=()

# Every stream is a connection on both ends: the load generator and the API need far more than
# the usual 1,024 descriptors.
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
trap cleanup EXIT

rm -rf "$WORK" && mkdir -p "$WORK"
log "building (Release)"
publish src/Web/MetricsEngine.Web.csproj api
publish bench/Live/LiveLoad.csproj load
publish bench/Tools/BenchTools.csproj tools

start_backing_services

# The API as deployed (Production, default pools and live limits except the instance's stream
# limit, raised so the benchmark finds the machine's limit rather than the setting's).
api_settings
export Serilog__MinimumLevel__Default=Warning
export Live__MaxStreams=$((SUBSCRIBERS * 2))
dotnet "$WORK/api/MetricsEngine.Web.dll" migrate --contentRoot "$WORK/api" >&2
API_PORT=$(free_port)
API=http://127.0.0.1:$API_PORT
ASPNETCORE_URLS=$API dotnet "$WORK/api/MetricsEngine.Web.dll" --contentRoot "$WORK/api" >"$WORK/api.log" 2>&1 &
API_PID=$!
PIDS+=("$API_PID")
wait_for "$API/health/ready"

log "$SUBSCRIBERS subscribers over $KEYS metrics, one change per metric per second for $WARMUP_SECONDS s of warm-up, then $SECONDS_OF_CHANGES s measured"
result=$(dotnet "$WORK/load/LiveLoad.dll" "$API" "$API_PID" "$WORK/issuer.pem" "$ISSUER" "$SUBSCRIBERS" "$KEYS" "$SECONDS_OF_CHANGES" "$WARMUP_SECONDS")
log "$result"
field() { tr ' ' '\n' <<<"$result" | awk -F= -v k="$1" '$1 == k { print $2 }'; }

# The reference: one plain GET of a metric, as a poller would pay for it (cached, then not).
TOKEN=$(dotnet "$WORK/tools/BenchTools.dll" token "$WORK/issuer.pem" "$ISSUER" bench)
metric=$(curl -fsS "$API/metrics?page_size=1" -H "Authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
get_ms=$(for _ in $(seq 1 50); do curl -fsS -o /dev/null -w '%{time_total}\n' "$API/metrics/$metric" -H "Authorization: Bearer $TOKEN"; done |
  sort -n | awk '{ v[NR] = $1 * 1000 } END { printf "%.1f / %.1f", v[int(NR * 0.5)], v[NR] }')

machine="$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'), .NET $(dotnet --version)"
table=$(cat <<TABLE
Live benchmark of $(date -u +%Y-%m-%d) on $machine; the load generator, PostgreSQL and the API on the same machine.
$SUBSCRIBERS subscribers asked for, over $KEYS metrics; one record per metric per second for $SECONDS_OF_CHANGES s, after $WARMUP_SECONDS s of the same changes unmeasured.

| measurement | MetricsEngine | reference | target |
|---|---|---|---|
| concurrent subscribers held by one instance | $(field subscribers) (refused $(field refused)) | | 10,000 |
| memory per open stream (API resident set, KB) | $(field kb_per_stream) ($(field rss_before_mb) MB before, $(field rss_after_mb) MB with the streams) | | |
| commit to event at every subscriber: p50 / p99 (ms) | $(field p50_ms) / $(field p99_ms) (max $(field max_ms); $(field events) events for $(field changes_expected) subscriber-changes; $(field failed_posts) POSTs refused) | $get_ms (one GET of a metric, p50 / max of 50, curl) | p99 < 1,000 |
| the warm-up's changes: p50 / p99 (ms), not counted above | $(field warmup_p50_ms) / $(field warmup_p99_ms) | | |
| time to open every stream (s) | $(field open_seconds) | | |
| CPU while changes flow (cores busy, of $(field cores)) | API $(field api_cores) | load generator $(field load_cores) | |

Latency runs from the moment the record's POST is sent (its commit happens inside that request)
to the moment the subscriber has read the whole event; coalescing may fold a change into the next
event, which then counts once per subscriber.
TABLE
)
mkdir -p "$ROOT/bench/results"
echo "$table" | tee "$ROOT/bench/results/$(date -u +%Y-%m-%d)-live.md"
