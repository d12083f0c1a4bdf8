#!/usr/bin/env bash
# MetricsEngine reliability suite, run by hand (not in CI):   bench/reliability.sh
#
# Starts its own PostgreSQL and the API in Release with the default configuration (logging at
# Information, Prometheus on), then:
#   1. mixed load for REL_MIXED seconds (cached and uncached reads, the list, keyed writes): status
#      histogram, p50/p99, the API's memory and the database's connections sampled every 5 s;
#   2. the database killed mid-load (writers retrying with their Idempotency-Key, readers): statuses
#      during the outage, recovery time, and every acknowledged write present exactly once;
#   3. graceful shutdown under load: SIGTERM while requests run, exit code and time to exit;
#   4. a fuzzer of REL_FUZZ malformed requests (plus raw malformed request lines) over sockets: 0 x 5xx.
# Prints one table and writes it to bench/results/reliability-<date>.md. Installs wrk if missing.
#
# Environment: REL_MIXED (default 180), REL_OUTAGE (seconds the database is down, default 15),
# REL_FUZZ (default 3000), REL_RECORDS (default 100000), REL_WORK (default /tmp/metricsengine-reliability).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${REL_WORK:-/tmp/metricsengine-reliability}
MIXED=${REL_MIXED:-180}
OUTAGE=${REL_OUTAGE:-15}
FUZZ=${REL_FUZZ:-3000}
RECORDS=${REL_RECORDS:-100000}
METRIC=b0000000-0000-4000-8000-000000000000
PIDS=()

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
trap cleanup EXIT

need_wrk
rm -rf "$WORK" && mkdir -p "$WORK"
log "building (Release)"
publish src/Web/MetricsEngine.Web.csproj api
publish bench/Tools/BenchTools.csproj tools
publish bench/Reliability/Reliability.csproj reliability
tools() { dotnet "$WORK/tools/BenchTools.dll" "$@"; }
reliability() { dotnet "$WORK/reliability/Reliability.dll" "$@"; }

# The outage check crashes PostgreSQL and counts acknowledged writes: commits must be durable, as on
# a real server (the throwaway default turns fsync and synchronous_commit off, which loses them).
export LOCAL_PG_DURABLE=1
start_backing_services
pg_ctl() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$PG_BIN/pg_ctl" "$@"; else "$PG_BIN/pg_ctl" "$@"; fi; }

# As deployed: Production, default logging (Information), Prometheus on, no OTLP.
api_settings
Telemetry__PrometheusPort=$(free_port)
export Telemetry__PrometheusPort
API_PORT=$(free_port)
API=http://127.0.0.1:$API_PORT
start_api() {
  ASPNETCORE_URLS=$API dotnet "$WORK/api/MetricsEngine.Web.dll" --contentRoot "$WORK/api" >>"$WORK/api.log" 2>&1 &
  API_PID=$!
  PIDS+=("$API_PID")
  wait_for "$API/health/ready"
}
TOKEN=$(tools token "$WORK/issuer.pem" "$ISSUER" bench)
dotnet "$WORK/api/MetricsEngine.Web.dll" migrate --contentRoot "$WORK/api" >&2
tools dataset "$WORK/data" "$RECORDS"
Import__QueriesFile=$WORK/data/queries.csv Import__MetricsFile=$WORK/data/metrics.json Import__RecordsFile=$WORK/data/metric_records.json \
  dotnet "$WORK/api/MetricsEngine.Web.dll" import --contentRoot "$WORK/api" >/dev/null
start_api

# sample FILE: every 5 s, seconds since start, the API's resident MB and the database's connections.
sample() {
  local start=$SECONDS
  while kill -0 "$API_PID" 2>/dev/null; do
    printf '%s %s %s\n' $((SECONDS - start)) "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$API_PID/status" 2>/dev/null || echo -)" \
      "$(psql -d bench -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = 'bench'" 2>/dev/null || echo -)" >>"$1"
    sleep 5
  done
}

# ---------------------------------------------------------------- 1. mixed load
log "mixed load for $MIXED s"
sample "$WORK/mixed.samples" & SAMPLER=$!
wrk -t2 -c64 -d"${MIXED}s" --latency -s "$ROOT/bench/mixed.lua" -H "Authorization: Bearer $TOKEN" "$API" >"$WORK/mixed.out"
kill "$SAMPLER" 2>/dev/null || true
mixed_statuses=$(sed -n 's/^STATUSES //p' "$WORK/mixed.out")
read -r mixed_p50 mixed_p99 < <(sed -n 's/^LATENCY //p' "$WORK/mixed.out")
mixed_rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$WORK/mixed.out")
mixed_errors=$(sed -n 's/^ERRORS //p' "$WORK/mixed.out")
mem_series=$(awk '{ printf "%s%s", sep, $2; sep=" → " }' "$WORK/mixed.samples")
conn_max=$(awk 'max < $3 { max = $3 } END { print max }' "$WORK/mixed.samples")
mixed_5xx=$(tr ',' '\n' <<<"$mixed_statuses" | awk -F': ' '$1 + 0 >= 500 { s += $2 } END { print s + 0 }')

# ---------------------------------------------------------------- 2. database killed mid-load
log "the database killed for $OUTAGE s under load"
psql -d bench -c "DELETE FROM metric_records WHERE alert_type = 'reliability'"
WRITE_SECONDS=$((OUTAGE + 40))
reliability writer "$API" "$TOKEN" "$METRIC" "$WRITE_SECONDS" "$WORK/acknowledged" >"$WORK/writer.out" &
WRITER=$!
wrk -t1 -c16 -d"${WRITE_SECONDS}s" -s "$ROOT/bench/mixed.lua" -H "Authorization: Bearer $TOKEN" "$API" >"$WORK/outage-readers.out" &
READERS=$!
sleep 10
pg_ctl -D "$WORK/pg" -m immediate -w stop >/dev/null
killed_at=10
sleep "$OUTAGE"
"$ROOT/scripts/local-postgres.sh" start "$WORK/pg" >/dev/null
restarted_at=$((10 + OUTAGE))
wait "$WRITER" "$READERS" || true
acknowledged=$(wc -l <"$WORK/acknowledged")
read -r stored distinct < <(psql -d bench -Atc "SELECT count(*), count(DISTINCT idempotency_key) FROM metric_records WHERE alert_type = 'reliability'" | tr '|' ' ')
missing=$(psql -d bench -Atc "CREATE TEMP TABLE ack (id uuid); COPY ack FROM STDIN; SELECT count(*) FROM ack WHERE NOT EXISTS (SELECT 1 FROM metric_records r WHERE r.idempotency_key = ack.id)" <"$WORK/acknowledged" | tail -n 1)
outage_statuses=$(awk -v a="$killed_at" -v b="$restarted_at" '$1 >= a && $1 < b { s[$2] += $3 } END { for (k in s) printf "%s%s: %s", (n++ ? ", " : ""), (k == 0 ? "no answer" : k), s[k] }' "$WORK/acknowledged.log")
recovered_at=$(awk -v b="$restarted_at" '$1 >= b && $2 == 201 { print $1; exit }' "$WORK/acknowledged.log")
recovery=$(( ${recovered_at:-999} - restarted_at ))
reader_statuses=$(sed -n 's/^STATUSES //p' "$WORK/outage-readers.out")
outage_5xx_unexpected=$(tr ',' '\n' <<<"$reader_statuses" | awk -F': ' '$1 + 0 >= 500 && $1 + 0 != 503 { s += $2 } END { print s + 0 }')

# ---------------------------------------------------------------- 3. graceful shutdown under load
log "SIGTERM under load"
wrk -t2 -c64 -d20s -s "$ROOT/bench/mixed.lua" -H "Authorization: Bearer $TOKEN" "$API" >"$WORK/shutdown.out" &
LOAD=$!
sleep 5
stop_started=$(date +%s.%N)
kill -TERM "$API_PID"
set +e; wait "$API_PID"; exit_code=$?; set -e
stop_seconds=$(awk -v s="$stop_started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
wait "$LOAD" || true
shutdown_statuses=$(sed -n 's/^STATUSES //p' "$WORK/shutdown.out")
shutdown_errors=$(sed -n 's/^ERRORS //p' "$WORK/shutdown.out")
shutdown_5xx=$(tr ',' '\n' <<<"$shutdown_statuses" | awk -F': ' '$1 + 0 >= 500 { s += $2 } END { print s + 0 }')

# ---------------------------------------------------------------- 4. fuzzer
log "fuzzing with $FUZZ malformed requests"
start_api
set +e; fuzz_line=$(reliability fuzz "$API" "$TOKEN" "$FUZZ" "$METRIC" 2>"$WORK/fuzz.err"); fuzz_exit=$?; set -e
fuzz_5xx=$(sed -n 's/.*5xx \([0-9]*\).*/\1/p' <<<"$fuzz_line")

# ---------------------------------------------------------------- the table
machine="$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'), .NET $(dotnet --version)"
table=$(cat <<EOT
Reliability run of $(date -u +%Y-%m-%d) on $machine; load average at the start $(cut -d' ' -f1-3 /proc/loadavg); wrk on the same machine.

| check | result | target |
|---|---|---|
| mixed load, $MIXED s, 64 connections: requests/s | $mixed_rps (p50 $mixed_p50 ms, p99 $mixed_p99 ms) | |
| mixed load: statuses | $mixed_statuses; socket errors: $mixed_errors | 0 × 5xx (got $mixed_5xx) |
| mixed load: API memory every 5 s (MB) | $mem_series | flat |
| mixed load: database connections, most seen | $conn_max | under the server's limit |
| database down ${OUTAGE} s: writers' answers during the outage | ${outage_statuses:-none} | 503 with Retry-After, no hang |
| database down: readers' statuses over the run | $reader_statuses | only 503 beyond 2xx (got $outage_5xx_unexpected other 5xx) |
| database down: recovery after restart (s) | $recovery | a few seconds |
| acknowledged writes / stored / distinct / missing | $acknowledged / $stored / $distinct / $missing | all present once: equal, 0 missing |
| SIGTERM under load: exit code, time to exit (s) | $exit_code, $stop_seconds | 0, within the shutdown timeout |
| SIGTERM under load: statuses, socket errors | $shutdown_statuses; $shutdown_errors | 0 × 5xx (got $shutdown_5xx) |
| fuzzer | $fuzz_line | 0 × 5xx (got ${fuzz_5xx:-?}) |
EOT
)
mkdir -p "$ROOT/bench/results"
echo "$table" | tee "$ROOT/bench/results/reliability-$(date -u +%Y-%m-%d).md"
[[ ${fuzz_exit} -eq 0 && ${mixed_5xx} -eq 0 && ${missing} -eq 0 && ${stored} -eq ${acknowledged} ]]
