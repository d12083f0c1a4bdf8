#!/usr/bin/env bash
# Run MetricsEngine locally with the sample data.
#
#   ./run.sh                 build, start a private PostgreSQL under .data/ (or use $ConnectionStrings__Metrics),
#                            migrate, import data/, serve on http://localhost:8080 and print how to call it
#   ./run.sh token [--scope S]... [--group G]... [--machine]
#                            print a local development access token (Cognito-shaped, RS256)
#   ./run.sh stop            stop the private PostgreSQL
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
DATA="$ROOT/.data"
APP="$DATA/app"

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export Auth__Local__KeyPath="$DATA/dev-signing-key.pem"
export Import__QueriesFile=${Import__QueriesFile:-$ROOT/data/queries.csv}
export Import__MetricsFile=${Import__MetricsFile:-$ROOT/data/metrics.json}
export Import__RecordsFile=${Import__RecordsFile:-$ROOT/data/metric_records.json}

build() {
  echo "Building..." >&2
  dotnet publish "$ROOT/src/Web/MetricsEngine.Web.csproj" -c Release -o "$APP" --nologo -v quiet >&2
}

app() { dotnet "$APP/MetricsEngine.Web.dll" "$@" --contentRoot "$APP"; }

database() {
  if [[ -n "${ConnectionStrings__Metrics:-}" ]]; then return; fi
  local server port
  server=$("$ROOT/scripts/local-postgres.sh" start "$DATA/pg")
  port=$(cat "$DATA/pg/.port")
  if ! psql -h 127.0.0.1 -p "$port" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'metrics'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE metrics" >/dev/null
  fi
  export ConnectionStrings__Metrics="$server;Database=metrics"
  echo "PostgreSQL: $ConnectionStrings__Metrics (data in .data/pg)" >&2
}

case "${1:-serve}" in
  token)
    shift
    [[ -f "$APP/MetricsEngine.Web.dll" ]] || build
    app token "$@"
    ;;
  stop)
    "$ROOT/scripts/local-postgres.sh" stop "$DATA/pg"
    echo "PostgreSQL stopped." >&2
    ;;
  serve)
    shift || true
    build
    database
    app migrate >&2
    URL=${ASPNETCORE_URLS:-http://localhost:8080}
    URL=${URL%%;*}
    app "$@" &
    API=$!
    trap 'kill $API 2>/dev/null; wait $API 2>/dev/null' INT TERM EXIT
    for _ in $(seq 1 60); do
      if curl -fsS "$URL/health/ready" >/dev/null 2>&1; then break; fi
      kill -0 $API 2>/dev/null || { echo "The API exited during start-up; see the log above." >&2; exit 1; }
      sleep 1
    done
    TOKEN=$(app token)
    cat >&2 <<MSG

MetricsEngine is running on $URL (Ctrl-C stops it; PostgreSQL keeps running, './run.sh stop' stops it).

  Import report (sample data is deliberately dirty):
    curl -s $URL/imports/latest -H "Authorization: Bearer \$TOKEN"
  A metric, as imported and with a narrower window:
    curl -s $URL/metrics/c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11 -H "Authorization: Bearer \$TOKEN"
    curl -s "$URL/metrics/c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11?start_date=2025-06-01&end_date=2025-06-04" -H "Authorization: Bearer \$TOKEN"
  Last 30 days as of 2025-06-30:
    curl -s "$URL/metrics/5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41?as_of=2025-06-30" -H "Authorization: Bearer \$TOKEN"
  API reference: $URL/scalar   OpenAPI: $URL/openapi/v1.json   Health: $URL/health

  A token (valid 1 hour; './run.sh token --scope api/metrics.read' for others):
export TOKEN=$TOKEN

MSG
    wait $API
    ;;
  *)
    echo "usage: $0 [serve|token|stop]" >&2
    exit 2
    ;;
esac
