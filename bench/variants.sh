#!/usr/bin/env bash
# Where the cached GET's time goes, run by hand (not in CI):   bench/variants.sh [SETTINGS[@REV]...]
#
# Runs the API once per SETTINGS (a comma-separated list of environment settings, e.g.
# Serilog__MinimumLevel__Default=Warning; "default" for none) and the bare-Kestrel ceiling, all at
# the same time on one PostgreSQL, and measures the cached GET of each in turn, round after round.
# A variant ending in @REV (a git revision: default@main~3) runs that revision's build instead of
# the working tree's, so a change is measured against what it changes in the same run.
# Sequential runs minutes apart compare this shared machine's moods (the same build has measured
# 16,000 and 36,000 requests/s a few minutes apart); processes that are all up and measured in
# alternation see the same machine. Prints each round, the median ratio to the ceiling and the CPU
# each process spent per request (its user and system time over a run, divided by the requests it
# answered), and writes the table to bench/results/<date>-<time>-variants.md.
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
declare -A builds=()
for variant in "${VARIANTS[@]}"; do
  [[ $variant == *@* ]] || continue
  rev=${variant##*@}
  [[ -n ${builds[$rev]:-} ]] && continue
  builds[$rev]=api-$(git -C "$ROOT" rev-parse --short "$rev")
  log "building $rev (Release)"
  git -C "$ROOT" worktree add --detach "$WORK/src-${builds[$rev]}" "$rev" >/dev/null
  ROOT=$WORK/src-${builds[$rev]} publish src/Web/MetricsEngine.Web.csproj "${builds[$rev]}"
  git -C "$ROOT" worktree remove --force "$WORK/src-${builds[$rev]}"
done
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

# The process answering on a port (not the shell that started it), for its CPU time.
listener() { ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

urls=()
names=()
pids=()
for index in "${!VARIANTS[@]}"; do
  variant=${VARIANTS[$index]}
  build=api
  [[ $variant == *@* ]] && build=${builds[${variant##*@}]}
  settings=()
  [[ ${variant%@*} == default ]] || IFS=, read -ra settings <<<"${variant%@*}"
  port=$(free_port)
  env "${settings[@]}" Telemetry__PrometheusPort="$(free_port)" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    dotnet "$WORK/$build/MetricsEngine.Web.dll" --contentRoot "$WORK/$build" >"$WORK/api-$index.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/health/ready"
  urls+=("http://127.0.0.1:$port/metrics/$METRIC")
  names+=("$variant")
  pids+=("$(listener "$port")")
done
curl -fsS "${urls[0]}" -H "Authorization: Bearer $TOKEN" -o "$WORK/body.json"
port=$(free_port)
ASPNETCORE_URLS=http://127.0.0.1:$port dotnet "$WORK/ceiling/Ceiling.dll" "$WORK/body.json" >/dev/null 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$port/"
urls+=("http://127.0.0.1:$port/")
names+=("bare Kestrel (ceiling)")
pids+=("$(listener "$port")")
ticks=$(getconf CLK_TCK)

log "warming each process up for $WARMUP s"
for url in "${urls[@]}"; do wrk -t2 -c64 -d"${WARMUP}s" -H "Authorization: Bearer $TOKEN" "$url" >/dev/null; done

ceiling=$((${#urls[@]} - 1))
for ((round = 1; round <= ROUNDS; round++)); do
  for index in "${!urls[@]}"; do
    before=$(cpu_ticks "${pids[$index]}")
    wrk -t2 -c64 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "${urls[$index]}" >"$WORK/wrk.out"
    spent=$(($(cpu_ticks "${pids[$index]}") - before))
    grep -q Non-2xx "$WORK/wrk.out" && { cat "$WORK/wrk.out" >&2; echo "non-2xx answers" >&2; exit 1; }
    awk -v r="$round" -v i="$index" -v spent="$spent" -v hz="$ticks" '/Requests\/sec/ { rps = $2 } /^ +99%/ { p99 = $2 } / requests in / { n = $1 }
      END { printf "%d %d %.0f %s %.1f\n", r, i, rps, p99, spent / hz / n * 1e6 }' "$WORK/wrk.out" >>"$WORK/runs"
  done
  log "round $round: $(awk -v r="$round" '$1 == r { printf "%s/s ", $3 }' "$WORK/runs")"
done

for rev in "${!builds[@]}"; do names=("${names[@]/%@$rev/@$rev (${builds[$rev]#api-})}"); done
rows=$(for index in "${!names[@]}"; do
  awk -v i="$index" -v c="$ceiling" -v name="${names[$index]}" '
    function median(v, n,   a, b, x) {
      for (a = 2; a <= n; a++) { x = v[a]; for (b = a - 1; b >= 1 && v[b] > x; b--) v[b + 1] = v[b]; v[b + 1] = x }
      return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
    $2 == c { ceil[$1] = $3 } $2 == i { rps[$1] = $3; p99[$1] = $4; cpu[$1] = $5; n++ }
    END {
      for (r = 1; r <= n; r++) { ratio[r] = rps[r] / ceil[r]; list = list (r > 1 ? ", " : "") rps[r] }
      printf "| %s | %s | %.2f | %.1f | %s |\n", name, list, median(ratio, n), median(cpu, n), p99[n] }' "$WORK/runs"
done)
machine="$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), .NET $(dotnet --version)"
table=$(cat <<TABLE
Cached GET by configuration, $(date -u +%Y-%m-%d), on $machine; every process up at once, measured in turn, $ROUNDS rounds of $DURATION s at 64 connections (wrk on the same machine).

| configuration | requests/s, round by round | median ratio to bare Kestrel | CPU µs per request, median | p99, last round |
|---|---|---|---|---|
$rows
TABLE
)
mkdir -p "$ROOT/bench/results"
echo "$table" | tee "$ROOT/bench/results/$(date -u +%Y-%m-%d-%H%M)-variants.md"
