#!/usr/bin/env bash
# Run MetricsEngine locally with the sample data.
#
#   ./run.sh [serve] [HOST OPTION]...   build if the sources changed, start a private PostgreSQL under .data/ (or use
#                                       $ConnectionStrings__Metrics), migrate, import data/, serve on http://localhost:8080
#   ./run.sh import [--dry-run]         the same import, printed as a report (nothing kept with --dry-run)
#   ./run.sh token [OPTION]...          print a local development access token ('./run.sh token --help');
#                                       './run.sh token --dashboard' prints a link that opens the dashboard signed in
#   ./run.sh stop                       stop the private PostgreSQL
#   ./run.sh --help                     this text
#
# ASPNETCORE_URLS chooses the address (e.g. http://localhost:8282). Import__QueriesFile, Import__MetricsFile and
# Import__RecordsFile replace the sample files. METRICSENGINE_DATA_DIR moves .data/ (the build, the database, the key).
# SIGINT or SIGTERM stops the API it started; PostgreSQL keeps running until './run.sh stop'.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
DATA=${METRICSENGINE_DATA_DIR:-$ROOT/.data}
APP="$DATA/app"
DLL="$APP/MetricsEngine.Web.dll"
API=

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export Auth__Local__KeyPath=${Auth__Local__KeyPath:-$DATA/dev-signing-key.pem}
export Import__QueriesFile=${Import__QueriesFile:-$ROOT/data/queries.csv}
export Import__MetricsFile=${Import__MetricsFile:-$ROOT/data/metrics.json}
export Import__RecordsFile=${Import__RecordsFile:-$ROOT/data/metric_records.json}

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

fail() { echo "run.sh: $*" >&2; exit 1; }

# What the published app was built from: every file under src/ (not bin/ or obj/, nor the
# dashboard's node_modules/ and dist/, which scripts/build-dashboard.sh derives from its sources) and
# the build settings at the root. Paths are relative, so moving the clone does not force a rebuild.
source_hash() {
  {
    find src -type f -not -path '*/bin/*' -not -path '*/obj/*' \
      -not -path 'src/Dashboard/node_modules/*' -not -path 'src/Dashboard/dist/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    find . -maxdepth 1 -type f \( -name '*.props' -o -name '*.targets' -o -name 'global.json' -o -iname 'nuget.config' \) -print0 \
      | LC_ALL=C sort -z | xargs -0 -r sha256sum
  } | sha256sum | cut -d' ' -f1
}

# Builds the dashboard when its sources changed (npm ci only when its lock file did), then publishes
# src/Web with it to .data/app only when the sources changed since the last publish.
build() {
  mkdir -p "$DATA"
  exec 9>"$DATA/.build.lock"
  flock 9 # two run.sh at once would publish over each other
  "$ROOT/scripts/build-dashboard.sh" || fail "the dashboard could not be built (see above)."
  local hash started=$SECONDS
  hash=$(source_hash)
  if [[ -f "$DLL" && "$(cat "$APP/.source-hash" 2>/dev/null)" == "$hash" ]]; then
    echo "Build: up to date (no source changed since the last publish)." >&2
  else
    echo "Build: publishing src/Web to ${APP#"$ROOT"/} because the sources changed (a first build takes a few minutes)..." >&2
    # The previous build's hashed dashboard assets would otherwise pile up beside the new ones.
    rm -rf "$APP/.source-hash" "$APP/wwwroot/dashboard"
    # No build servers: nothing keeps running after run.sh, and compiler output shows as progress.
    # The dashboard was built just above, so the publish takes src/Dashboard/dist as it is.
    dotnet publish "$ROOT/src/Web/MetricsEngine.Web.csproj" -c Release -o "$APP" --nologo -v minimal \
      --disable-build-servers -clp:NoSummary -p:DashboardBuild=false >&2 || fail "the build failed (see above)."
    echo "$hash" >"$APP/.source-hash"
    echo "Build: done in $((SECONDS - started)) s." >&2
  fi
  exec 9>&-
}

# The published app's verbs: 'app import', 'app token --scope ...'. It reads the appsettings*.json beside it.
app() { dotnet "$DLL" "$@"; }

database() {
  if [[ -n "${ConnectionStrings__Metrics:-}" ]]; then
    echo "Database: \$ConnectionStrings__Metrics." >&2
    return
  fi
  local server port
  server=$("$ROOT/scripts/local-postgres.sh" start "$DATA/pg")
  port=$(cat "$DATA/pg/.port")
  if ! psql -h 127.0.0.1 -p "$port" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'metrics'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE metrics" >/dev/null
  fi
  export ConnectionStrings__Metrics="$server;Database=metrics"
  echo "Database: private PostgreSQL on 127.0.0.1:$port, data in ${DATA#"$ROOT"/}/pg ('./run.sh stop' stops it)." >&2
}

# The port of a URL such as http://localhost:8080, http://+:5000/ or https://example.test.
url_port() {
  local rest=${1#*://}
  rest=${rest%%/*}
  if [[ $rest == *:* ]]; then echo "${rest##*:}"; elif [[ $1 == https:* ]]; then echo 443; else echo 80; fi
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || (exec 3<>"/dev/tcp/::1/$1") 2>/dev/null; }

# Who listens on a port, when iproute2's ss can tell: "pid 123 (dotnet .data/app/MetricsEngine.Web.dll)".
port_owner() {
  local pid=
  if command -v ss >/dev/null; then
    pid=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)
  fi
  if [[ -n $pid ]]; then
    echo "pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-100 | sed 's/ *$//'))"
  else
    echo "another process"
  fi
}

stop_api() {
  trap - INT TERM EXIT
  if [[ -n $API ]] && kill -0 "$API" 2>/dev/null; then
    kill -TERM "$API" 2>/dev/null || true
    wait "$API" 2>/dev/null || true
  fi
}

serve() {
  local url=${ASPNETCORE_URLS:-http://localhost:8080} arg next=
  for arg in "$@"; do # --urls among the host options wins over ASPNETCORE_URLS
    if [[ $next == urls ]]; then url=$arg; next=; fi
    case "${arg,,}" in --urls=*) url=${arg#*=} ;; --urls) next=urls ;; esac
  done
  url=${url%%;*}
  local port probe
  port=$(url_port "$url")
  probe="${url%%://*}://localhost:$port"
  if listening "$port"; then
    fail "port $port is already in use by $(port_owner "$port"). Stop it, or choose another address: ASPNETCORE_URLS=http://localhost:$((port + 1)) ./run.sh"
  fi

  build
  database
  app migrate >&2
  echo "Import: ${Import__QueriesFile#"$ROOT"/}, ${Import__MetricsFile#"$ROOT"/}, ${Import__RecordsFile#"$ROOT"/}" >&2
  # The counts and how many issues; the issues themselves are one command away.
  app import | awk '/issue\(s\):$/ { print $0 " listed by ./run.sh import --dry-run and GET /imports/latest"; skip = 1 } !skip { print }' >&2

  # The API is this script's child, not a subshell's: signals reach it and nothing outlives run.sh.
  trap 'stop_api; exit 130' INT
  trap 'stop_api; exit 143' TERM
  trap stop_api EXIT
  Import__OnStartup=false ASPNETCORE_URLS=$url dotnet "$DLL" "$@" &
  API=$!

  local ready=
  for _ in $(seq 1 240); do
    kill -0 "$API" 2>/dev/null || { wait "$API" || true; fail "the API exited during start-up (see its log above)."; }
    if curl -fsSk -o /dev/null --max-time 2 "$probe/health/ready" 2>/dev/null; then ready=1; break; fi
    sleep 0.25
  done
  # Healthy only counts if it is our API that answered: it must still be running.
  kill -0 "$API" 2>/dev/null || { wait "$API" || true; fail "the API exited during start-up (see its log above)."; }
  if [[ -z $ready ]]; then
    echo "run.sh: the API is running but not ready after 60 s: $(curl -sk --max-time 2 "$probe/health/ready")" >&2
  fi

  local token dashboard
  token=$(app token)
  dashboard=$(app token --dashboard --urls "$probe")
  cat >&2 <<MSG

MetricsEngine is running on $url (pid $API; Ctrl-C stops it).
  Dashboard, signed in for 1 hour ('./run.sh token --dashboard' prints a new link):
    $dashboard
  API reference $probe/scalar   OpenAPI $probe/openapi/v1.json   health $probe/health
  Try (sample data; the import report is above):
    curl -s $probe/metrics -H "Authorization: Bearer \$TOKEN"
    curl -s "$probe/metrics/c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11?start_date=2025-06-01&end_date=2025-06-04" -H "Authorization: Bearer \$TOKEN"
    curl -s "$probe/metrics/5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41?as_of=2025-06-30" -H "Authorization: Bearer \$TOKEN"
  A token with every permission, valid 1 hour ('./run.sh token --help' for others):

export TOKEN=$token

MSG
  local status=0
  wait "$API" || status=$?
  API=
  exit "$status"
}

case "${1:-serve}" in
  serve)
    shift || true
    serve "$@"
    ;;
  import)
    shift
    build
    if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then app import "$@"; exit; fi
    database
    app migrate >&2
    app import "$@"
    ;;
  token)
    shift
    build
    app token "$@"
    ;;
  stop)
    "$ROOT/scripts/local-postgres.sh" stop "$DATA/pg"
    echo "PostgreSQL stopped." >&2
    ;;
  -h | --help | help)
    usage
    ;;
  *)
    echo "run.sh: unknown command '$1'. Usage: ./run.sh [serve|import|token|stop|--help]" >&2
    exit 2
    ;;
esac
