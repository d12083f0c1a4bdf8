#!/usr/bin/env bash
# Every deployment check, behind one entry point (docs/deploy.md, "What the checks verify"):
#
#   deploy/checks/run-all.sh            all checks
#   deploy/checks/run-all.sh nginx-tls  some checks (and what they need)
#
# Prints one line per check (PASS or FAIL, name, seconds) and, at the end, the log of each
# failure; exits non-zero if any check failed. Installs what it lacks: Debian packages with
# apt-get (as root), the npm linters into a cache directory (never globally). Everything it starts
# (PostgreSQL, the API, nginx, a stand-in upstream) runs on loopback, on free high ports, from a
# temporary directory, and is stopped on exit. Set KEEP_WORK=1 to keep that directory.
#
# See docs/deploy.md ("What the checks verify") for what each check proves.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CHECKS=$ROOT/deploy/checks
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NO_PROXY='*' no_proxy='*'
CACHE=${METRICSENGINE_CHECKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/metricsengine-deploy-checks}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/metricsengine-deploy-checks.XXXXXX")
chmod 0755 "$WORK"
mkdir -p "$WORK/logs" "$WORK/pids"
started=$SECONDS

# ------------------------------------------------------------------ cleanup
cleanup() {
  local pidfile pid
  for pidfile in "$WORK"/nginx-*/nginx.pid; do
    [[ -f $pidfile ]] && kill -QUIT "$(cat "$pidfile")" 2>/dev/null
  done
  for pidfile in "$WORK"/pids/*.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  [[ -f $WORK/pg/PG_VERSION ]] && "$ROOT/scripts/local-postgres.sh" stop "$WORK/pg"
  for pidfile in "$WORK"/nginx-*/nginx.pid; do
    [[ -f $pidfile ]] || continue
    for _ in $(seq 1 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
  done
  if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=deploy/checks/lib.sh
. "$CHECKS/lib.sh"

# ------------------------------------------------------------------ tools
install_prerequisites() {
  local -A need=(
    [nginx]=nginx [openssl]=openssl [jq]=jq [shellcheck]=shellcheck [docker-compose]=docker-compose
    [systemd-analyze]=systemd [psql]=postgresql-client [curl]=curl [node]=nodejs [npm]=npm
    [python3]=python3 [gunzip]=gzip
  )
  local missing=() command
  for command in "${!need[@]}"; do
    command -v "$command" >/dev/null 2>&1 || missing+=("${need[$command]}")
  done
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing packages: ${missing[*]} (run as root to install them)" >&2
    return 1
  fi
  echo "installing ${missing[*]}" >&2
  # Keep Debian's maintainer scripts from starting the packaged services (nginx, postgresql).
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && created_policy=1
  fi
  local status=0
  DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  [[ $created_policy == 1 ]] && rm -f "$policy"
  return "$status"
}

install_npm_tools() {
  local lock_hash dir
  lock_hash=$(cat "$CHECKS/tools/package.json" "$CHECKS/tools/package-lock.json" | sha256sum | cut -c1-16)
  dir=$CACHE/tools-$lock_hash
  if [[ ! -f $dir/.installed ]]; then
    echo "installing the npm linters into $dir" >&2
    rm -rf "$dir" && mkdir -p "$dir" &&
      cp "$CHECKS/tools/package.json" "$CHECKS/tools/package-lock.json" "$CHECKS/tools/.npmrc" "$dir/" &&
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) &&
      touch "$dir/.installed" || return 1
  fi
  TOOLS=$dir/node_modules
  export NODE_PATH=$TOOLS
}

# ------------------------------------------------------------------ runner
declare -A STATUS=()
ORDER=()
FAILED_LOGS=()

run_check() {
  local name=$1 function=$2 dependency
  shift 2
  ORDER+=("$name")
  for dependency in "$@"; do
    if [[ ${STATUS[$dependency]:-} != PASS ]]; then
      STATUS[$name]=FAIL
      printf 'FAIL %-22s (not run: needs %s)\n' "$name" "$dependency"
      return
    fi
  done
  local log=$WORK/logs/$name.log begin=$SECONDS
  (
    set -Eeuo pipefail
    # Name the command that failed, unless fail() has already said why.
    trap 'status=$?; [[ $BASH_COMMAND == return* || $BASH_COMMAND == fail* ]] ||
      echo "FAILED: \"$BASH_COMMAND\" exited $status (${BASH_SOURCE[0]#"$ROOT"/}:$LINENO)" >&2' ERR
    cd "$ROOT"
    "$function"
  ) >"$log" 2>&1
  local status=$?
  if [[ $status -eq 0 ]]; then
    STATUS[$name]=PASS
    printf 'PASS %-22s (%ds)\n' "$name" $((SECONDS - begin))
  else
    STATUS[$name]=FAIL
    printf 'FAIL %-22s (%ds)\n' "$name" $((SECONDS - begin))
    FAILED_LOGS+=("$name")
    cp "$log" "$WORK/failed-$name.log"
  fi
}

# shellcheck source=deploy/checks/static.sh
. "$CHECKS/static.sh"
# shellcheck source=deploy/checks/rehearsal.sh
. "$CHECKS/rehearsal.sh"

selected=("$@")
wanted() {
  [[ ${#selected[@]} -eq 0 ]] && return 0
  local name
  for name in "${selected[@]}"; do [[ $name == "$1" ]] && return 0; done
  # A selected check pulls in what it needs.
  case $1 in
    package) wanted migration-job || wanted boot-failure ;;
    previous-release) wanted migration-job ;;
    migration-job) wanted ec2-config ;;
    ec2-config) wanted runtime-role || wanted docker-healthcheck || wanted nginx-tls || wanted nginx-alb || wanted liveness-watch ;;
    runtime-role) wanted previous-on-new-schema || wanted db-outage ;;
    nginx-alb) wanted nginx-problems || wanted db-outage ;;
    *) return 1 ;;
  esac
}

if ! install_prerequisites >"$WORK/logs/prerequisites.log" 2>&1 || ! install_npm_tools >>"$WORK/logs/prerequisites.log" 2>&1; then
  echo "FAIL prerequisites"
  cat "$WORK/logs/prerequisites.log"
  exit 1
fi

wanted shellcheck && run_check shellcheck check_shellcheck
wanted dockerfile && run_check dockerfile check_dockerfile
wanted compose && run_check compose check_compose
wanted actionlint && run_check actionlint check_actionlint
wanted workflow-policy && run_check workflow-policy check_workflow_policy
wanted cfn-lint && run_check cfn-lint check_cfn_lint
wanted cfn-guard && run_check cfn-guard check_cfn_guard
wanted cfn-policy && run_check cfn-policy check_cfn_policy
wanted systemd && run_check systemd check_systemd
wanted nginx-config && run_check nginx-config check_nginx_config
wanted package && run_check package check_package
wanted previous-release && run_check previous-release check_previous_release
wanted migration-job && run_check migration-job check_migration_job package previous-release
wanted ec2-config && run_check ec2-config check_ec2_config migration-job
wanted runtime-role && run_check runtime-role check_runtime_role ec2-config
wanted previous-on-new-schema && run_check previous-on-new-schema check_previous_on_new_schema runtime-role
wanted docker-healthcheck && run_check docker-healthcheck check_docker_healthcheck ec2-config
wanted nginx-tls && run_check nginx-tls check_nginx_tls ec2-config
wanted nginx-alb && run_check nginx-alb check_nginx_alb ec2-config
wanted nginx-problems && run_check nginx-problems check_nginx_problems nginx-alb
wanted nginx-upstream && run_check nginx-upstream check_nginx_upstream
wanted liveness-watch && run_check liveness-watch check_liveness_watch ec2-config
wanted db-outage && run_check db-outage check_db_outage runtime-role nginx-alb
wanted boot-failure && run_check boot-failure check_boot_failure package

failed=0
for name in "${ORDER[@]}"; do [[ ${STATUS[$name]} == PASS ]] || failed=$((failed + 1)); done
for name in "${FAILED_LOGS[@]}"; do
  echo
  echo "---- $name (last 60 lines of its log)"
  tail -n 60 "$WORK/failed-$name.log"
done
elapsed=$((SECONDS - started))
if [[ $failed -eq 0 ]]; then
  echo "deploy checks: all ${#ORDER[@]} passed in ${elapsed}s"
else
  echo "deploy checks: ${failed} of ${#ORDER[@]} FAILED (${elapsed}s)"
fi
[[ $failed -eq 0 ]]
