#!/usr/bin/env bash
# Helpers for deploy/checks/run-all.sh and the check files it sources. Sourced, never run.

# Inside a check (errexit) this ends it; helpers that loop also 'return 1' after it, because
# errexit is off where they are called as a condition ('! helper', 'helper || ...').
fail() {
  echo "FAILED: $*" >&2
  return 1
}

# expect_failure DESCRIPTION COMMAND...: the command must fail (a canary proving a tool still
# detects what it is there to detect).
expect_failure() {
  local description=$1
  shift
  if "$@" >"$WORK/canary.out" 2>&1; then
    cat "$WORK/canary.out" >&2
    fail "canary not detected: $description"
  fi
  echo "canary detected: $description"
}

# A free TCP port on loopback, never the same one twice in a run.
free_port() {
  local port=$((20000 + RANDOM % 20000))
  while grep -qx "$port" "$WORK/ports" 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done
  echo "$port" >>"$WORK/ports"
  echo "$port"
}

# wait_for_http URL [SECONDS] [CURL ARGS...]: until URL answers 200.
wait_for_http() {
  local url=$1 seconds=${2:-60}
  shift 2 || shift $#
  local deadline=$((SECONDS + seconds))
  until curl -fsS -o /dev/null --max-time 5 "$@" "$url" 2>/dev/null; do
    ((SECONDS < deadline)) || { fail "$url did not answer 200 within ${seconds}s"; return 1; }
    sleep 0.5
  done
}

# The API's request log line for PATH (Serilog compact JSON), waiting for it to be written.
api_log_for() {
  local path=$1 line deadline=$((SECONDS + 10))
  while :; do
    line=$(jq -Rc --arg path "$path" 'fromjson? | select(.RequestPath? == $path)' "$WORK/api.log" | tail -n 1)
    [[ -n $line ]] && { printf '%s\n' "$line"; return 0; }
    ((SECONDS < deadline)) || { fail "the API logged no request for $path"; return 1; }
    sleep 0.2
  done
}

# expect_api_saw PATH SCHEME CLIENT: the API's own view of a proxied request.
expect_api_saw() {
  local path=$1 scheme=$2 client=$3 line
  line=$(api_log_for "$path")
  echo "API logged: $line"
  [[ $(jq -r .Scheme <<<"$line") == "$scheme" ]] || fail "the API saw scheme $(jq -r .Scheme <<<"$line") for $path, expected $scheme"
  [[ $(jq -r .ClientAddress <<<"$line") == "$client" ]] || fail "the API saw client $(jq -r .ClientAddress <<<"$line") for $path, expected $client"
}

new_uuid() { cat /proc/sys/kernel/random/uuid; }

# start_background NAME COMMAND...: runs COMMAND in the background, remembered for cleanup.
start_background() {
  local name=$1
  shift
  "$@" &
  echo $! >"$WORK/pids/$name.pid"
}

# start_nginx NAME: renders the repository's nginx configuration into WORK/nginx-NAME (with the
# NGINX_MODE, ports and UPSTREAM already exported by the caller) and starts nginx from it.
start_nginx() {
  local dir=$WORK/nginx-$1
  mkdir -p "$dir/tmp"
  chown "$NGINX_USER" "$dir/tmp"
  PID_FILE=$dir/nginx.pid TEMP_DIR=$dir/tmp ERROR_LOG=$dir/error.log ACCESS_LOG=$dir/access.log \
    "$ROOT/deploy/nginx/render.sh" "$dir"
  nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -t
  nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf"
  local deadline=$((SECONDS + 10))
  until [[ -s $dir/nginx.pid ]]; do
    ((SECONDS < deadline)) || { fail "nginx ($1) did not start"; return 1; }
    sleep 0.1
  done
}

# The user nginx's workers run as in the rehearsals (Debian's www-data, or nobody elsewhere).
if id www-data >/dev/null 2>&1; then NGINX_USER=www-data; else NGINX_USER=nobody; fi
NGINX_GROUP=$(id -gn "$NGINX_USER")
export NGINX_USER NGINX_GROUP
