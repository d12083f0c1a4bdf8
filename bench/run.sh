#!/usr/bin/env bash
# MetricsEngine benchmark, run by hand (not in CI):   bench/run.sh
#
# Starts its own PostgreSQL and the API in Release, generates data and prints one table:
#   1. cached GET /metrics/{id} (64 connections) next to a bare Kestrel endpoint sending the same bytes
#   2. the same GET with Cache__Enabled=false next to pgbench running the same SQL, same concurrency
#   3. importing 1,000,000 generated records next to psql \copy of the same rows, and peak memory
#   4. GET latency for one metric with 10 thousand, 1 million and 10 million rows in the records table
# The table is also written to bench/results/<date>.md. Installs wrk from Debian if it is missing.
#
# Environment: BENCH_DURATION (seconds per load run, default 15), BENCH_WARMUP (seconds of load
# before each measured API run, default 45), BENCH_ROUNDS (paired runs behind each ratio, default 5),
# BENCH_RECORDS (default 1000000),
# BENCH_WORK (scratch directory, default /tmp/metricsengine-bench; deleted at the start).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_WORK:-/tmp/metricsengine-bench}
DURATION=${BENCH_DURATION:-15}
# Tiered compilation and PGO take 20-60 s of load to settle on this machine; measure after that.
WARMUP=${BENCH_WARMUP:-45}
ROUNDS=${BENCH_ROUNDS:-5}
RECORDS=${BENCH_RECORDS:-1000000}
CONNECTIONS=64
METRIC=b0000000-0000-4000-8000-000000000000
PIDS=()

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }
trap cleanup EXIT

# ---------------------------------------------------------------- tools and builds
need_wrk

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$WORK" && mkdir -p "$WORK"
log "building (Release)"
publish src/Web/MetricsEngine.Web.csproj api
publish bench/Ceiling/Ceiling.csproj ceiling
publish bench/Tools/BenchTools.csproj tools
tools() { dotnet "$WORK/tools/BenchTools.dll" "$@"; }

start_backing_services

# The API as deployed, with its default configuration (lib.sh): logging at Information (two lines
# a request, written in the background), Prometheus metrics on (a port of their own), no OTLP
# endpoint (so no spans are recorded).
api_settings "Maximum Pool Size=128"
Telemetry__PrometheusPort=$(free_port)
export Telemetry__PrometheusPort
api() { dotnet "$WORK/api/MetricsEngine.Web.dll" "$@" --contentRoot "$WORK/api"; }
API_PORT=$(free_port)
API=http://127.0.0.1:$API_PORT
start_api() {
  # dotnet itself in the background (not the api function, which would fork a subshell).
  ASPNETCORE_URLS=$API dotnet "$WORK/api/MetricsEngine.Web.dll" --contentRoot "$WORK/api" >"$WORK/api.log" 2>&1 &
  API_PID=$!
  PIDS+=("$API_PID")
  wait_for "$API/health/ready"
}
stop_api() { kill "$API_PID"; wait "$API_PID" 2>/dev/null || true; }
TOKEN=$(tools token "$WORK/issuer.pem" "$ISSUER" bench)

api migrate >&2

# ---------------------------------------------------------------- 3. import
log "generating $RECORDS records"
tools dataset "$WORK/data" "$RECORDS"
Import__QueriesFile=$WORK/data/queries.csv Import__MetricsFile=$WORK/data/metrics.json api import >/dev/null

# The reference first: psql \copy of the same rows into the same empty table (every index and
# the foreign key in place), then the importer into that table emptied again.
log "psql \\copy of the same rows"
start=$(date +%s.%N)
psql -d bench -c "\\copy metric_records (query_id, date, obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category, idempotency_key, created_at) FROM '$WORK/data/metric_records.csv' CSV"
copy_seconds=$(since "$start")
psql -d bench -c "TRUNCATE metric_records" -c "VACUUM ANALYZE metric_records"

log "importing $RECORDS records"
peak_kb=0
start=$(date +%s.%N)
Import__RecordsFile=$WORK/data/metric_records.json dotnet "$WORK/api/MetricsEngine.Web.dll" import --contentRoot "$WORK/api" >"$WORK/import.log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
  (( hwm > peak_kb )) && peak_kb=$hwm
  sleep 0.1
done
wait "$pid"
import_seconds=$(since "$start")
grep -q "records    *$RECORDS  *$RECORDS" "$WORK/import.log" || { cat "$WORK/import.log" >&2; echo "the import did not add every record" >&2; exit 1; }
psql -d bench -c "VACUUM ANALYZE metric_records"

# ---------------------------------------------------------------- 1. cached GET vs ceiling
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
medians() { # medians FILE: the median of each column of a file of rounds, one round per line
  awk '{ for (i = 1; i <= NF; i++) v[i, NR] = $i; if (NF > n) n = NF }
    END { for (i = 1; i <= n; i++) { m = 0; for (r = 1; r <= NR; r++) col[r] = v[i, r]
            # insertion sort: a handful of rounds
            for (a = 2; a <= NR; a++) { x = col[a]; for (b = a - 1; b >= 1 && col[b] > x; b--) col[b + 1] = col[b]; col[b + 1] = x }
            m = (NR % 2) ? col[(NR + 1) / 2] : (col[NR / 2] + col[NR / 2 + 1]) / 2
            printf "%s%s", m, (i < n ? " " : "\n") } }' "$1"
}
warm_up() { # warm_up URL [CONNECTIONS]: load without measuring, until the JIT has settled
  wrk -t"$(( ${2:-$CONNECTIONS} < 2 ? 1 : 2 ))" -c"${2:-$CONNECTIONS}" -d"${WARMUP}s" -H "Authorization: Bearer $TOKEN" "$1" >/dev/null
}
wrk_run() { # wrk_run URL [CONNECTIONS] -> "ok_rps p50_ms p99_ms refused"
  # Throughput counts answered requests (2xx) only: wrk's own Requests/sec also counts the fast
  # 429/503 refusals, which would make a server that refuses everything look fast.
  local connections=${2:-$CONNECTIONS}
  wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$1" >"$WORK/wrk.out"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    / requests in / { total = $1; seconds = $4 + 0 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { if (bad > 0 && ENVIRON["WRK_ALLOW_REFUSALS"] == "") { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 } printf "%.0f %.2f %.2f %d\n", (total - bad) / seconds, p50, p99, bad }' "$WORK/wrk.out"
}

log "cached GET vs the framework ceiling"
start_api
URL="$API/metrics/$METRIC"
curl -fsS "$URL" -H "Authorization: Bearer $TOKEN" -o "$WORK/body.json"
CEILING_PORT=$(free_port)
ASPNETCORE_URLS=http://127.0.0.1:$CEILING_PORT dotnet "$WORK/ceiling/Ceiling.dll" "$WORK/body.json" >/dev/null 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$CEILING_PORT/"
warm_up "$URL"
warm_up "http://127.0.0.1:$CEILING_PORT/"
# Each ratio is the median of ROUNDS pairs of runs, the two of a pair back to back: on a shared
# virtual machine the cores' speed drifts by a factor of two over minutes (the same build measured
# 16,000 and 36,000 requests/s a few minutes apart), so only runs next to each other compare, and
# one pair is luck.
: >"$WORK/cached.rounds"
for ((round = 1; round <= ROUNDS; round++)); do
  read -r api_rps api_p50 api_p99 _ < <(wrk_run "$URL")
  read -r bare_rps bare_p50 bare_p99 _ < <(wrk_run "http://127.0.0.1:$CEILING_PORT/")
  echo "$api_rps $bare_rps $(ratio "$api_rps" "$bare_rps") $api_p50 $api_p99 $bare_p50 $bare_p99" >>"$WORK/cached.rounds"
  log "round $round: cached GET $api_rps/s (p99 $api_p99 ms), bare Kestrel $bare_rps/s"
done
read -r cached_rps ceiling_rps cached_ratio cached_p50 cached_p99 ceiling_p50 ceiling_p99 < <(medians "$WORK/cached.rounds")
stop_api

# ---------------------------------------------------------------- 2. uncached GET vs pgbench
log "uncached GET vs pgbench with the same SQL"
# wrk's one token stands for all its clients (64, then 256): its admission share
# (Query__MaxConcurrentPerCaller, 16 by default) is raised to the largest connection count, as the
# rate limit is, so what is measured is the shared pool and its bounded queue rather than one
# caller's cap.
Cache__Enabled=false Query__MaxConcurrentPerCaller=$((CONNECTIONS * 4)) start_api
sql=$(psql -d bench -Atc "SELECT parameterised_sql FROM queries WHERE id = 'q_0'" | sed -e '/^--/d' -e "s/@start_date/'2024-06-01'::date/; s/@end_date/'2024-06-30'::date/" | tr '\n' ' ')
# The executor's one round trip, statement for statement (\; keeps it one round trip in pgbench).
printf 'BEGIN TRANSACTION READ ONLY \\; SET LOCAL statement_timeout = 10000 \\; SET LOCAL search_path = query_surface \\; SELECT * FROM ( %s ) AS metric_query LIMIT 10001 \\; COMMIT\n' "$sql" >"$WORK/pgbench.sql"
warm_up "$URL"
# Four times the connections: throughput must hold (requests wait their turn for the database, or
# are refused fast with 429/503 and Retry-After), not collapse. Paired rounds, as above.
: >"$WORK/uncached.rounds"
for ((round = 1; round <= ROUNDS; round++)); do
  read -r at64_rps at64_p50 at64_p99 _ < <(wrk_run "$URL")
  read -r at256_rps at256_p50 at256_p99 at256_refused < <(WRK_ALLOW_REFUSALS=1 wrk_run "$URL" 256)
  echo "$at64_rps $at256_rps $(ratio "$at256_rps" "$at64_rps") $at64_p50 $at64_p99 $at256_p50 $at256_p99 $at256_refused" >>"$WORK/uncached.rounds"
  log "round $round: uncached GET $at64_rps/s at 64 connections, $at256_rps/s answered at 256 ($at256_refused refused)"
done
read -r uncached_rps uncached256_rps uncached256_ratio uncached_p50 uncached_p99 uncached256_p50 uncached256_p99 uncached256_refused < <(medians "$WORK/uncached.rounds")
stop_api
# The role's connection limit is sized for the API's admission (a few sandbox connections an
# instance); pgbench's reference opens one per client, so the limit is lifted for it.
psql -c "ALTER ROLE metrics_query CONNECTION LIMIT -1"
pgbench_tps=$("$PG_BIN/pgbench" -n -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "$WORK/pgbench.sql" -h 127.0.0.1 -p "$PG_PORT" -U metrics_query bench 2>/dev/null |
  awk '/^tps/ { printf "%.0f", $3 }')

# ---------------------------------------------------------------- 4. latency vs table size
log "latency of one metric as the records table grows"
# The metric's own rows stay the same (10,000 over four years); other metrics' rows fill the table.
psql -d bench -c "TRUNCATE metric_records"
fill() { # fill FROM TO: rows FROM..TO, the first 10,000 for q_0, the rest over q_1..q_99
  psql -d bench -c "
    INSERT INTO metric_records (query_id, date, obsolescence, parts_flagged, alert_type, alert_category, idempotency_key, created_at)
    SELECT CASE WHEN g <= 10000 THEN 'q_0' ELSE 'q_' || (1 + g % 99) END,
           timestamp '2022-01-01' + (g::bigint * 7919 % 2103840) * interval '1 minute',
           (g % 1000) / 7.0, g % 13, (ARRAY['Critical','Warning','Info'])[1 + g % 3], 'Review', gen_random_uuid(), now()
    FROM generate_series($1, $2) g;" -c "VACUUM ANALYZE metric_records"
}
Cache__Enabled=false start_api
declare -A latency
previous=0
for rows in 10000 1000000 10000000; do
  fill $((previous + 1)) "$rows"
  previous=$rows
  wrk_run "$URL" 1 >/dev/null # new rows, new plans: a short settle at each size
  read -r _ p50 p99 _ < <(wrk_run "$URL" 1)
  latency[$rows]="$p50 $p99"
  log "$rows rows: p50 $p50 ms, p99 $p99 ms"
done
stop_api

# ---------------------------------------------------------------- the table
read -r l10k_p50 l10k_p99 <<<"${latency[10000]}"
read -r l1m_p50 l1m_p99 <<<"${latency[1000000]}"
read -r l10m_p50 l10m_p99 <<<"${latency[10000000]}"
machine="$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr), PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'), .NET $(dotnet --version)"
table=$(cat <<EOF
Benchmark of $(date -u +%Y-%m-%d) on $machine; wrk and pgbench on the same machine, ${DURATION} s per run; load average before the run: $LOAD_BEFORE.
The cached and uncached GET figures and ratios are medians of $ROUNDS rounds, each a pair of runs back to back (below).

| measurement | MetricsEngine | reference | ratio | target |
|---|---|---|---|---|
| cached GET, $CONNECTIONS connections, default configuration: requests/s | $cached_rps | $ceiling_rps (bare Kestrel, same bytes) | $cached_ratio | ≥ 0.75 |
| cached GET: p50 / p99 latency (ms) | $cached_p50 / $cached_p99 | $ceiling_p50 / $ceiling_p99 | | p99 < 5 |
| uncached GET, $CONNECTIONS connections: requests/s | $uncached_rps (p50 $uncached_p50, p99 $uncached_p99 ms) | $pgbench_tps (pgbench, same SQL) | $(ratio "$uncached_rps" "$pgbench_tps") | ≥ 0.5 |
| uncached GET, 256 connections: answered (2xx) requests/s | $uncached256_rps (p50 $uncached256_p50, p99 $uncached256_p99 ms; $uncached256_refused refused with 429/503) | $uncached_rps (64 connections) | $uncached256_ratio | ≥ 0.9 |
| import $RECORDS records: seconds | $import_seconds | $copy_seconds (psql \\copy) | $(ratio "$import_seconds" "$copy_seconds") | ≤ 3 |
| import: peak memory (MB) | $((peak_kb / 1024)) | | | < 300 |
| GET one metric, 1 connection: p50 / p99 (ms) at 10k rows | $l10k_p50 / $l10k_p99 | | | |
| … at 1M rows | $l1m_p50 / $l1m_p99 | | $(ratio "$l1m_p50" "$l10k_p50") | |
| … at 10M rows | $l10m_p50 / $l10m_p99 | | $(ratio "$l10m_p50" "$l10k_p50") | ≤ 2 |

| round | cached GET/s | bare Kestrel/s | ratio | cached p50 / p99 (ms) | uncached GET/s, 64 | answered/s, 256 | ratio | refused at 256 |
|---|---|---|---|---|---|---|---|---|
$(paste -d' ' "$WORK/cached.rounds" "$WORK/uncached.rounds" | awk '{ printf "| %d | %s | %s | %s | %s / %s | %s | %s | %s | %s |\n", NR, $1, $2, $3, $4, $5, $8, $9, $10, $15 }')
EOF
)
mkdir -p "$ROOT/bench/results"
echo "$table" | tee "$ROOT/bench/results/$(date -u +%Y-%m-%d).md"
