# Shared by the bench/ scripts (run.sh, live.sh, reliability.sh, variants.sh); sourced after they set ROOT,
# WORK and PIDS. Each benchmark starts the same backing services: a private PostgreSQL with a
# "bench" database and a stand-in Cognito pool serving a JWKS for the tokens the tools mint.
# shellcheck shell=bash

log() { printf '\n== %s\n' "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 120); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done; echo "timed out waiting for $1" >&2; return 1; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$ROOT/scripts/local-postgres.sh" stop "$WORK/pg" || true
}

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }

# Sets SERVER (the connection string's server part), PG_PORT and ISSUER for the sourcing script.
# shellcheck disable=SC2034
start_backing_services() {
  log "PostgreSQL and a stand-in Cognito pool"
  SERVER=$("$ROOT/scripts/local-postgres.sh" start "$WORK/pg")
  PG_PORT=$(cat "$WORK/pg/.port")
  psql -c "CREATE DATABASE bench"
  openssl genrsa -out "$WORK/issuer.pem" 2048 2>/dev/null
  local issuer_port
  issuer_port=$(free_port)
  python3 "$ROOT/deploy/checks/fake-issuer.py" "$issuer_port" "$(openssl rsa -in "$WORK/issuer.pem" -noout -modulus | cut -d= -f2)" &
  PIDS+=($!)
  ISSUER=http://127.0.0.1:$issuer_port/pool
  wait_for "$ISSUER/.well-known/jwks.json"
}

# A Release build of PROJECT (a path in the repository) into $WORK/DIR.
publish() { dotnet publish "$ROOT/$1" -c Release -o "$WORK/$2" --nologo -v quiet >&2; }

# wrk from Debian's package, if it is not there yet.
need_wrk() {
  command -v wrk >/dev/null && return 0
  log "installing wrk (Debian package)"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else sudo apt-get install -y -qq wrk >/dev/null; fi
}

# Exports the settings of the API as deployed (Production, logging at Information, no OTLP) on the
# bench database and the stand-in issuer, after start_backing_services. The load generators' one
# token stands for many clients: the per-caller rate limit stays on (its cost is measured) but high
# enough never to refuse. DOTNET_GCgen0size is the 64 MB gen0 budget the Dockerfile and the systemd
# unit set. An optional argument (connection-string options, e.g. "Maximum Pool Size=128") is
# appended to both connection strings.
# shellcheck disable=SC2120
api_settings() {
  local options=${1:+;$1}
  export ASPNETCORE_ENVIRONMENT=Production
  export ConnectionStrings__Metrics="$SERVER;Database=bench$options"
  export ConnectionStrings__MetricsQuery="$SERVER;Database=bench;Username=metrics_query$options"
  export Auth__Authority=$ISSUER Auth__RequireHttpsMetadata=false Auth__ClientIds__0=bench
  export Import__OnStartup=false
  export RateLimit__PermitsPerSecond=10000000 RateLimit__Burst=10000000
  export DOTNET_GCgen0size=0x4000000
}
