#!/usr/bin/env bash
# Where the cached GET's time goes, run by hand (not in CI):   bench/variants.sh [SETTINGS...]
#
# Runs the API once per SETTINGS (a comma-separated list of environment settings, e.g.
# Serilog__MinimumLevel__Default=Warning; "default" for none) and the bare-Kestrel ceiling, all at
# the same time on one PostgreSQL, and measures the cached GET of each in turn, round after round.
# Sequential runs minutes apart compare this shared machine's moods (the same build has measured
# 16,000 and 36,000 requests/s a few minutes apart); processes that are all up and measured in
# alternation see the same machine. Prints each round and the median ratio to the ceiling, and
# writes the table to bench/results/<date>-variants.md.
#
# Environment: BENCH_ROUNDS (default 4), BENCH_DURATION (seconds per run, default 10),
# BENCH_WARMUP (seconds of load per process before the rounds, default 20),
# BENCH_WORK (scratch directory, default /tmp/metricsengine-variants; deleted at the start).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_WORK:-/tmp/metricsengine-variants}
ROUNDS=${BENCH_ROUNDS:-4}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-20}
if [[ $# -gt 0 ]]; then VARIANTS=("$@"); else VARIANTS=(default Serilog__MinimumLevel__Default=Warning); fi
PIDS=()

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
trap cleanup EXIT
need_wrk

rm -rf "$WORK" && mkdir -p "$WORK"
log "building (Release)"
publish src/Web/MetricsEngine.Web.csproj api
publish bench/Ceiling/Ceiling.csproj ceiling
publish bench/Tools/BenchTools.csproj tools
start_backing_services

tools() { dotnet "$WORK/tools/BenchTools.dll" "$@"; }
api() { dotnet "$WORK/api/MetricsEngine.Web.dll" "$@" --contentRoot "$WORK/api"; }
api_settings
api migrate >&2
tools dataset "$WORK/data" 10000 >/dev/null
Import__QueriesFile=$WORK/data/queries.csv Import__MetricsFile=$WORK/data/metrics.json Import__RecordsFile=$WORK/data/metric_records.json api import >/dev/null
TOKEN=$(tools token "$WORK/issuer.pem" "$ISSUER" bench)
METRIC=b0000000-0000-4000-8000-000000000000

urls=()
names=()
for index in "${!VARIANTS[@]}"; do
  variant=${VARIANTS[$index]}
  settings=()
  [[ $variant == default ]] || IFS=, read -ra settings <<<"$variant"
  port=$(free_port)
  env "${settings[@]}" Telemetry__PrometheusPort="$(free_port)" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    dotnet "$WORK/api/MetricsEngine.Web.dll" --contentRoot "$WORK/api" >"$WORK/api-$index.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/health/ready"
  urls+=("http://127.0.0.1:$port/metrics/$METRIC")
  names+=("$variant")
done
curl -fsS "${urls[0]}" -H "Authorization: Bearer $TOKEN" -o "$WORK/body.json"
port=$(free_port)
ASPNETCORE_URLS=http://127.0.0.1:$port dotnet "$WORK/ceiling/Ceiling.dll" "$WORK/body.json" >/dev/null 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$port/"
urls+=("http://127.0.0.1:$port/")
names+=("bare Kestrel (ceiling)")

log "warming each process up for $WARMUP s"
for url in "${urls[@]}"; do wrk -t2 -c64 -d"${WARMUP}s" -H "Authorization: Bearer $TOKEN" "$url" >/dev/null; done

ceiling=$((${#urls[@]} - 1))
for ((round = 1; round <= ROUNDS; round++)); do
  for index in "${!urls[@]}"; do
    wrk -t2 -c64 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "${urls[$index]}" >"$WORK/wrk.out"
    grep -q Non-2xx "$WORK/wrk.out" && { cat "$WORK/wrk.out" >&2; echo "non-2xx answers" >&2; exit 1; }
    awk -v r="$round" -v i="$index" '/Requests\/sec/ { rps = $2 } /^ +99%/ { p99 = $2 } END { printf "%d %d %.0f %s\n", r, i, rps, p99 }' "$WORK/wrk.out" >>"$WORK/runs"
  done
  log "round $round: $(awk -v r="$round" '$1 == r { printf "%s/s ", $3 }' "$WORK/runs")"
done

rows=$(for index in "${!names[@]}"; do
  awk -v i="$index" -v c="$ceiling" -v name="${names[$index]}" '
    $2 == c { ceil[$1] = $3 } $2 == i { rps[$1] = $3; p99[$1] = $4; n++ }
    END {
      for (r = 1; r <= n; r++) { ratio[r] = rps[r] / ceil[r]; list = list (r > 1 ? ", " : "") rps[r] }
      for (a = 2; a <= n; a++) { x = ratio[a]; for (b = a - 1; b >= 1 && ratio[b] > x; b--) ratio[b + 1] = ratio[b]; ratio[b + 1] = x }
      m = (n % 2) ? ratio[(n + 1) / 2] : (ratio[n / 2] + ratio[n / 2 + 1]) / 2
      printf "| %s | %s | %.2f | %s |\n", name, list, m, p99[n] }' "$WORK/runs"
done)
machine="$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), .NET $(dotnet --version)"
table=$(cat <<TABLE
Cached GET by configuration, $(date -u +%Y-%m-%d), on $machine; every process up at once, measured in turn, $ROUNDS rounds of $DURATION s at 64 connections (wrk on the same machine).

| configuration | requests/s, round by round | median ratio to bare Kestrel | p99, last round |
|---|---|---|---|
$rows
TABLE
)
mkdir -p "$ROOT/bench/results"
echo "$table" | tee "$ROOT/bench/results/$(date -u +%Y-%m-%d)-variants.md"
