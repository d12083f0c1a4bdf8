#!/usr/bin/env bash
# A private PostgreSQL cluster for development and benchmarks, kept in a directory of its own.
#
#   scripts/local-postgres.sh start DIR [PORT]   start (creating it if needed); prints the connection string
#   scripts/local-postgres.sh stop DIR           stop it
#
# It listens on 127.0.0.1 only, with trust authentication: a throwaway database for one machine,
# never a server. initdb refuses to run as root, so as root the cluster belongs to 'postgres'.
# LOCAL_PG_DURABLE=1: commits are flushed to disk as on a real server (the default skips it).
set -euo pipefail

pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local candidate
  candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$candidate" ]] && command -v pg_ctl >/dev/null; then candidate=$(dirname "$(command -v pg_ctl)"); fi
  [[ -n "$candidate" ]] || { echo "PostgreSQL binaries not found: install PostgreSQL (initdb, pg_ctl) or set PG_BIN." >&2; exit 1; }
  echo "$candidate"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port=${1:-55432}
  while (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

start() {
  local dir=$1 port=${2:-} bin
  bin=$(pg_bin)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "The postgres user cannot write $dir (a parent directory is not traversable); choose another directory." >&2
      exit 1
    fi
  fi
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$dir/postmaster.pid")
  else
    port=${port:-$(cat "$dir/.port" 2>/dev/null || free_port)}
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then port=$(free_port "$port"); fi
    # Throwaway clusters skip flushing to disk (fast); LOCAL_PG_DURABLE=1 keeps a real server's
    # durability, for runs that crash the server and then count what an acknowledged commit kept.
    local durability="-c fsync=off -c synchronous_commit=off"
    [[ ${LOCAL_PG_DURABLE:-0} == 1 ]] && durability=""
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 $durability" start >/dev/null
    echo "$port" | as_owner tee "$dir/.port" >/dev/null
  fi
  echo "Host=127.0.0.1;Port=$port;Username=postgres"
}

stop() {
  local dir=$1
  [[ -f "$dir/PG_VERSION" ]] || return 0
  as_owner "$(pg_bin)/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start "${2:?directory}" "${3:-}" ;;
  stop) stop "${2:?directory}" ;;
  *) echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac
