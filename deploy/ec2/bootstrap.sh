#!/usr/bin/env bash
# Turns a fresh Amazon Linux 2023 instance into a MetricsEngine node. The launch template's user
# data starts the CloudWatch agent, downloads the release tarball (deploy/package.sh), checks it
# against the release's SHA256SUMS, unpacks it into RELEASE_DIR and runs this script from it, as
# root, with its output already going to the bootstrap log and the console:
#
#   bootstrap.sh --region R --stack S --parameter-prefix /metricsengine/S --release-dir DIR
#                [--instance-id I --autoscaling-group G --lifecycle-hook H] [--signal-resource R]
#
# 1. installs the ASP.NET Core runtime, nginx and tools; fetches the RDS CA bundle and checks it
#    against the checksum in the release (deploy/common/rds-global-bundle.pem.sha256)
# 2. installs the release (/opt/metricsengine/current -> RELEASE_DIR) and the systemd units
# 3. nginx in 'alb' mode: plain HTTP on :80 for the load balancer, X-Forwarded-* from the VPC only
# 4. the CloudWatch agent's full configuration: logs, memory and disk, the engine's Prometheus port
# 5. starts the API and waits until /health/live answers 200, directly and through nginx. It does
#    NOT wait for the database: migrations are the migration job's (docs/deploy.md), and an
#    instance booting during a database outage serves liveness, stays out of the load balancer
#    (not ready) and joins by itself when the database returns
# 6. starts the liveness watch (health-watch.timer), completes the launch lifecycle hook with
#    CONTINUE and signals CloudFormation
#
# Any failure ends in the EXIT trap: the units' journal and the API's log go to the console,
# CloudFormation gets cfn-signal -e 1 (during stack creation), the launch hook ABANDON (the group
# terminates the instance at once instead of after the hook's timeout) and the BootFailures
# metric counts it (a release alarm: a release whose instances cannot start is rolled back).
set -euo pipefail
shopt -s inherit_errexit
export PATH="$PATH:/opt/aws/bin:/opt/aws/amazon-cloudwatch-agent/bin"

region='' stack='' prefix='' release_dir='' signal_resource='' instance_id='' group='' hook=''
while [[ $# -gt 0 ]]; do
  case $1 in
    --region) region=$2; shift 2 ;;
    --stack) stack=$2; shift 2 ;;
    --parameter-prefix) prefix=$2; shift 2 ;;
    --release-dir) release_dir=$2; shift 2 ;;
    --signal-resource) signal_resource=$2; shift 2 ;;
    --instance-id) instance_id=$2; shift 2 ;;
    --autoscaling-group) group=$2; shift 2 ;;
    --lifecycle-hook) hook=$2; shift 2 ;;
    *) echo "bootstrap: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $region && -n $stack && -n $prefix && -d $release_dir ]] ||
  { echo "bootstrap: --region, --stack, --parameter-prefix and an existing --release-dir are required" >&2; exit 2; }

# METRICSENGINE_* stand-ins exist for the rehearsal in deploy/checks only.
readonly app_root=${METRICSENGINE_ROOT:-/opt/metricsengine}
readonly ca_bundle=${METRICSENGINE_RDS_CA_BUNDLE:-/etc/pki/rds/global-bundle.pem}
readonly live_timeout=300 ready_wait=60
export AWS_REGION=$region AWS_DEFAULT_REGION=$region

log() { echo "bootstrap: $(date -u +%FT%TZ) $*"; }

# Tells CloudFormation (stack creation only; refused otherwise, which is fine) and the launch hook.
report() {
  local outcome=$1 code=0
  [[ $outcome == CONTINUE ]] || code=1
  if [[ -n $signal_resource ]]; then
    cfn-signal -e "$code" --stack "$stack" --resource "$signal_resource" --region "$region" ||
      log "cfn-signal refused (expected outside stack creation)"
  fi
  if [[ -n $group && -n $hook && -n $instance_id ]]; then
    aws autoscaling complete-lifecycle-action --auto-scaling-group-name "$group" --lifecycle-hook-name "$hook" \
      --instance-id "$instance_id" --lifecycle-action-result "$outcome" ||
      log "complete-lifecycle-action $outcome refused"
  fi
}

finished=0
on_exit() {
  local status=$?
  ((finished == 0)) || return 0
  trap - EXIT
  log "FAILED (exit $status): this instance will not serve; evidence follows"
  journalctl -u metricsengine-config.service -u metricsengine.service -u nginx.service --no-pager -n 50 2>/dev/null || true
  tail -n 50 /var/log/metricsengine/api.log 2>/dev/null || true
  if [[ -n $group ]]; then
    aws cloudwatch put-metric-data --namespace MetricsEngine --metric-name BootFailures --unit Count --value 1 \
      --dimensions "AutoScalingGroupName=$group" || log "BootFailures metric not published"
  fi
  report ABANDON
  exit "$((status == 0 ? 1 : status))"
}
trap on_exit EXIT
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR

log "release $(cat "$release_dir/VERSION" 2>/dev/null || basename "$release_dir") for stack $stack, instance ${instance_id:-?} of ${group:-?}"

# ------------------------------------------------------------------ packages and trust
log "installing packages"
dnf install -y -q --setopt=install_weak_deps=False \
  aspnetcore-runtime-10.0 nginx jq python3 logrotate
dotnet --list-runtimes | grep -q '^Microsoft.AspNetCore.App 10\.' ||
  { log "the ASP.NET Core 10 runtime is not installed"; false; }

log "fetching the RDS CA bundle (checked against the release's checksum)"
# shellcheck source=deploy/common/rds-ca.sh
. "$release_dir/deploy/common/rds-ca.sh"
fetch_rds_ca "$ca_bundle"

id metricsengine >/dev/null 2>&1 ||
  useradd --system --no-create-home --home-dir /nonexistent --shell /sbin/nologin metricsengine

# ------------------------------------------------------------------ release and units
log "installing the release"
mkdir -p /etc/metricsengine
cat >/etc/metricsengine/stack.env <<EOF
AWS_REGION=$region
PARAMETER_PREFIX=$prefix
RDS_CA_BUNDLE=$ca_bundle
AUTOSCALING_GROUP=$group
INSTANCE_ID=$instance_id
EOF
chown -R root:root "$release_dir"
chmod -R go-w "$release_dir"
ln -sfn "$release_dir" "$app_root/current.new"
mv -Tf "$app_root/current.new" "$app_root/current"
# Keep the three newest releases for a quick manual rollback.
find "$app_root/releases" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn | tail -n +4 |
  cut -d' ' -f2- | while read -r old; do [[ $old == "$release_dir" ]] || rm -rf "$old"; done

install -d -o root -g metricsengine -m 0750 /var/log/metricsengine
for unit in metricsengine.service metricsengine-config.service metricsengine-health.service metricsengine-health.timer; do
  install -m 0644 "$release_dir/deploy/ec2/$unit" "/etc/systemd/system/$unit"
done
install -m 0644 "$release_dir/deploy/ec2/logrotate.conf" /etc/logrotate.d/metricsengine
systemctl daemon-reload

# ------------------------------------------------------------------ configuration
# shellcheck source=deploy/ec2/lib.sh
. "$release_dir/deploy/ec2/lib.sh"
load_stack_env
load_parameters

log "configuring nginx (alb mode)"
NGINX_MODE=alb TRUSTED_PROXIES=$(parameter nginx/trusted-proxies) "$release_dir/deploy/nginx/render.sh" /etc/nginx
nginx -t
systemctl enable nginx
systemctl restart nginx

log "configuring the CloudWatch agent (logs, memory and disk, the engine's Prometheus metrics)"
log_group_prefix=$(parameter logs/group-prefix)
prometheus_port=$(parameter env/Telemetry__PrometheusPort)
agent_dir=/opt/aws/amazon-cloudwatch-agent/etc
sed -e "s|@@PROMETHEUS_PORT@@|$prometheus_port|; s|@@AUTOSCALING_GROUP@@|$group|" \
  "$release_dir/deploy/ec2/prometheus.yaml" >"$agent_dir/metricsengine-prometheus.yaml"
jq --arg prefix "$log_group_prefix" --arg scrape "$agent_dir/metricsengine-prometheus.yaml" '
  .logs.logs_collected.files.collect_list |= map(.log_group_name = ($prefix + "/" + .log_group_name))
  | .logs.metrics_collected.prometheus.log_group_name = ($prefix + "/" + .logs.metrics_collected.prometheus.log_group_name)
  | .logs.metrics_collected.prometheus.prometheus_config_path = $scrape' \
  "$release_dir/deploy/ec2/cloudwatch-agent.json" >"$agent_dir/metricsengine.json"
amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c "file:$agent_dir/metricsengine.json"

# ------------------------------------------------------------------ start and wait
log "starting the API"
systemctl enable metricsengine.service
systemctl restart metricsengine.service

wait_live() {
  local url=$1 deadline=$((SECONDS + live_timeout))
  until curl -fsS -o /dev/null --max-time 5 "$url"; do
    if ((SECONDS >= deadline)); then
      log "$url did not answer 200 within ${live_timeout}s"
      return 1
    fi
    sleep 2
  done
}
wait_live http://127.0.0.1:8080/health/live
wait_live http://127.0.0.1/health/live
log "the API is live, directly and through nginx"

# Readiness is the load balancer's business; this only records it for whoever reads the log.
deadline=$((SECONDS + ready_wait))
until readiness=$(curl -sS --max-time 5 -w ' (HTTP %{http_code})' http://127.0.0.1/health/ready) && [[ $readiness == *'(HTTP 200)' ]]; do
  if ((SECONDS >= deadline)); then
    log "not ready yet after ${ready_wait}s (fine: it joins the load balancer when it is): ${readiness:-no answer}"
    break
  fi
  sleep 3
done
[[ ${readiness:-} != *'(HTTP 200)' ]] || log "ready"

install -d -m 0755 /run/metricsengine
touch /run/metricsengine/booted
systemctl enable --now metricsengine-health.timer

finished=1
trap - EXIT
report CONTINUE
log "done"
