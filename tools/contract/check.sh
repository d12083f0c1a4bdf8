#!/usr/bin/env bash
# The OpenAPI contract, checked from outside the API (dotnet test checks it from inside):
#
#   tools/contract/check.sh
#
# starts the API (two instances) on a private PostgreSQL like ./run.sh does, reads the document it
# serves at /openapi/v1.json, then
#   1. lints it with Redocly CLI 2.77 (redocly.yaml: no errors, no warnings),
#   2. generates TypeScript types from it (openapi-typescript 7.13 + openapi-fetch 0.17) and
#      compiles client/readme-examples.ts, the README's calls, with `tsc --noEmit`,
#   3. puts Prism 5.16 in proxy mode with --errors in front of each instance and fires battery.mjs,
#      a request for every operation and every status the document lists; any Prism violation fails.
# The npm tools come from package-lock.json (npm ci). Prints one line per step; exits non-zero when
# any step fails. Needs the .NET SDK, Node 20+ and PostgreSQL's server binaries.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd ../.. && pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

WORK=$(mktemp -d /tmp/metricsengine-contract.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$ROOT/scripts/local-postgres.sh" stop "$WORK/pg" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local port=$1
  while (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

wait_for() { # URL LOG WHAT
  for _ in $(seq 1 180); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "$3 did not come up at $1; its log:" >&2
  tail -n 40 "$2" >&2
  return 1
}

status=0
step() { # NAME COMMAND...
  local name=$1
  shift
  if "$@" >"$WORK/$name.log" 2>&1; then
    echo "contract: $name passed"
  else
    echo "contract: $name FAILED:" >&2
    cat "$WORK/$name.log" >&2
    status=1
  fi
}

echo "contract: installing the npm tools (npm ci)" >&2
npm ci --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1 || { cat "$WORK/npm.log" >&2; exit 1; }

# The build dotnet test made (a no-op when .ci/run ran it first).
echo "contract: building the API" >&2
dotnet build "$ROOT/src/Web/MetricsEngine.Web.csproj" --nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
APP="$ROOT/src/Web/bin/Debug/net10.0"

SERVER=$("$ROOT/scripts/local-postgres.sh" start "$WORK/pg")
PGPORT=$(cat "$WORK/pg/.port")
for db in metrics metrics_empty; do psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE $db" >/dev/null; done

export ASPNETCORE_ENVIRONMENT=Development Auth__Local__KeyPath="$WORK/dev-signing-key.pem"
app() { dotnet "$APP/MetricsEngine.Web.dll" "$@" --contentRoot "$APP"; }
for db in metrics metrics_empty; do ConnectionStrings__Metrics="$SERVER;Database=$db" app migrate >/dev/null; done
app token >/dev/null # creates the local signing key before two instances could race to

LLM_PORT=$(free_port 18700)
node "$HERE/fake-llm.mjs" "$LLM_PORT" &
PIDS+=($!)

# The main instance: the sample data imported at start-up, SQL from prompts through the fake
# generator, a one-second query timeout, and a body limit of 512 bytes (bodies valid against the
# document are far below 1 MiB, and Prism re-serialises JSON, so only a low limit can be reached). The limited one: an empty database and a budget of one
# request a second per caller.
# Each instance serves its Prometheus metrics on a port of its own (the default, 9464, can be
# held only once on a machine).
MAIN_PORT=$(free_port 18710)
MAIN_METRICS_PORT=$(free_port 18730)
ConnectionStrings__Metrics="$SERVER;Database=metrics" Telemetry__PrometheusPort="$MAIN_METRICS_PORT" \
  Import__QueriesFile="$ROOT/data/queries.csv" Import__MetricsFile="$ROOT/data/metrics.json" Import__RecordsFile="$ROOT/data/metric_records.json" \
  QueryGeneration__Provider=llm Llm__Endpoint="http://127.0.0.1:$LLM_PORT/v1" Llm__Model=battery Llm__ApiKey=battery \
  Llm__TimeoutSeconds=1 Llm__MaxRetries=0 Query__TimeoutSeconds=1 Api__MaxRequestBodyBytes=512 Serilog__MinimumLevel__Default=Warning \
  ASPNETCORE_URLS="http://127.0.0.1:$MAIN_PORT" dotnet "$APP/MetricsEngine.Web.dll" --contentRoot "$APP" >"$WORK/api-main.log" 2>&1 &
PIDS+=($!)
LIMITED_PORT=$(free_port $((MAIN_PORT + 1)))
LIMITED_METRICS_PORT=$(free_port $((MAIN_METRICS_PORT + 1)))
ConnectionStrings__Metrics="$SERVER;Database=metrics_empty" Import__OnStartup=false Telemetry__PrometheusPort="$LIMITED_METRICS_PORT" \
  RateLimit__PermitsPerSecond=1 RateLimit__Burst=1 Serilog__MinimumLevel__Default=Warning \
  ASPNETCORE_URLS="http://127.0.0.1:$LIMITED_PORT" dotnet "$APP/MetricsEngine.Web.dll" --contentRoot "$APP" >"$WORK/api-limited.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$MAIN_PORT/health/ready" "$WORK/api-main.log" "The API"
wait_for "http://127.0.0.1:$LIMITED_PORT/health/ready" "$WORK/api-limited.log" "The rate-limited API"

curl -fsS "http://127.0.0.1:$MAIN_PORT/openapi/v1.json" -o "$WORK/openapi.json"

step lint npx redocly lint "$WORK/openapi.json" --config "$HERE/redocly.yaml"

generate_and_compile() {
  npx openapi-typescript "$WORK/openapi.json" -c "$HERE/client/redocly.yaml" -o "$HERE/client/api.d.ts" &&
    npx tsc -p "$HERE/client/tsconfig.json"
}
step typed-client generate_and_compile

# Started directly, not through npx, so the PID is Prism's own and cleanup ends it.
PRISM_MAIN=$(free_port 18720)
PRISM_LIMITED=$(free_port $((PRISM_MAIN + 1)))
"$HERE/node_modules/.bin/prism" proxy "$WORK/openapi.json" "http://127.0.0.1:$MAIN_PORT" --errors --host 127.0.0.1 --port "$PRISM_MAIN" >"$WORK/prism-main.log" 2>&1 &
PIDS+=($!)
"$HERE/node_modules/.bin/prism" proxy "$WORK/openapi.json" "http://127.0.0.1:$LIMITED_PORT" --errors --host 127.0.0.1 --port "$PRISM_LIMITED" >"$WORK/prism-limited.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$PRISM_MAIN/health/live" "$WORK/prism-main.log" "Prism"
wait_for "http://127.0.0.1:$PRISM_LIMITED/health/live" "$WORK/prism-limited.log" "Prism"

limited_tokens=()
for i in $(seq 1 13); do limited_tokens+=("\"$(app token --username "limited-$i")\""); done
battery() {
  DOCUMENT="$WORK/openapi.json" MAIN="http://127.0.0.1:$PRISM_MAIN" LIMITED="http://127.0.0.1:$PRISM_LIMITED" \
    MAIN_API="http://127.0.0.1:$MAIN_PORT" LIMITED_API="http://127.0.0.1:$LIMITED_PORT" BODY_LIMIT=512 \
    TOKEN_ADMIN=$(app token) TOKEN_READER=$(app token --scope api/metrics.read --username battery-reader) \
    TOKEN_NONE=$(app token --scope openid --username battery-nobody) TOKEN_EMPTY=$(app token --username battery-empty) \
    TOKENS_LIMITED="[$(IFS=,; echo "${limited_tokens[*]}")]" \
    STOP_DATABASE="'$ROOT/scripts/local-postgres.sh' stop '$WORK/pg'" \
    node "$HERE/battery.mjs" || return 1
  # Prism logs every violation it sees, also those it only warns about.
  if grep -hiE "violation|UNPROCESSABLE_ENTITY|NO_PATH_MATCHED|NO_METHOD_MATCHED" "$WORK/prism-main.log" "$WORK/prism-limited.log"; then
    echo "Prism saw the violations above." >&2
    return 1
  fi
}
step prism-battery battery
[[ -f "$WORK/prism-battery.log" ]] && grep -h "^Prism battery:" "$WORK/prism-battery.log" >&2 || true

exit "$status"
