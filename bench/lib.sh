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
