#!/usr/bin/env bash
# Turns a fresh Amazon Linux 2023 instance into a MetricsEngine node. The launch template's user
# data downloads the release tarball (deploy/package.sh) into RELEASE_DIR and runs this script
# from it, as root:
#
#   bootstrap.sh --region R --stack S --parameter-prefix /metricsengine/S \
#                --release-dir /opt/metricsengine/releases/V [--signal-resource AutoScalingGroup]
#
# 1. installs the ASP.NET Core runtime, nginx, the CloudWatch agent and the PostgreSQL client
# 2. installs the release (/opt/metricsengine/current -> RELEASE_DIR) and the systemd units
# 3. nginx in 'alb' mode: plain HTTP on :80 for the load balancer, X-Forwarded-* from the VPC only
# 4. the CloudWatch agent ships the API's, nginx's and this script's logs to the stack's log groups
# 5. applies the release's migrations (deploy/ec2/migrate.sh; idempotent, under an advisory lock)
# 6. starts the API and waits until /health/ready answers 200, directly and through nginx
# 7. tells CloudFormation (cfn-signal) whether the instance came up, when --signal-resource is given
set -euo pipefail
shopt -s inherit_errexit

region='' stack='' prefix='' release_dir='' signal_resource=''
while [[ $# -gt 0 ]]; do
  case $1 in
    --region) region=$2; shift 2 ;;
    --stack) stack=$2; shift 2 ;;
    --parameter-prefix) prefix=$2; shift 2 ;;
    --release-dir) release_dir=$2; shift 2 ;;
    --signal-resource) signal_resource=$2; shift 2 ;;
    *) echo "bootstrap: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $region && -n $stack && -n $prefix && -d $release_dir ]] ||
  { echo "bootstrap: --region, --stack, --parameter-prefix and an existing --release-dir are required" >&2; exit 2; }

readonly app_root=/opt/metricsengine
readonly ca_bundle=/etc/pki/rds/global-bundle.pem
readonly ready_timeout=300
export AWS_REGION=$region AWS_DEFAULT_REGION=$region

log() { echo "bootstrap: $(date -u +%FT%TZ) $*"; }

signal() {
  [[ -n $signal_resource ]] || return 0
  /opt/aws/bin/cfn-signal -e "$1" --stack "$stack" --resource "$signal_resource" --region "$region" ||
    log "cfn-signal failed (expected outside stack creation and updates)"
}

on_error() {
  local status=$?
  log "FAILED (exit $status) at line $1"
  journalctl -u metricsengine-config.service -u metricsengine.service -u nginx.service --no-pager -n 50 || true
  tail -n 50 /var/log/metricsengine/api.log 2>/dev/null || true
  signal 1
  exit "$status"
}
trap 'on_error $LINENO' ERR

log "release $(cat "$release_dir/VERSION" 2>/dev/null || basename "$release_dir") for stack $stack"

# ------------------------------------------------------------------ packages
log "installing packages"
dnf install -y --setopt=install_weak_deps=False \
  aspnetcore-runtime-10.0 nginx amazon-cloudwatch-agent aws-cfn-bootstrap jq python3 logrotate
dnf install -y postgresql16 || dnf install -y postgresql15
dotnet --list-runtimes | grep -q '^Microsoft.AspNetCore.App 10\.' ||
  { log "the ASP.NET Core 10 runtime is not installed"; false; }

id metricsengine >/dev/null 2>&1 ||
  useradd --system --no-create-home --home-dir /nonexistent --shell /sbin/nologin metricsengine

mkdir -p "$(dirname "$ca_bundle")"
curl -fsSL --retry 5 -o "$ca_bundle.tmp" https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
mv -f "$ca_bundle.tmp" "$ca_bundle"
chmod 0644 "$ca_bundle"

# ------------------------------------------------------------------ release and units
log "installing the release"
mkdir -p /etc/metricsengine
cat >/etc/metricsengine/stack.env <<EOF
AWS_REGION=$region
PARAMETER_PREFIX=$prefix
RDS_CA_BUNDLE=$ca_bundle
EOF
chown -R root:root "$release_dir"
chmod -R go-w "$release_dir"
ln -sfn "$release_dir" "$app_root/current.new"
mv -Tf "$app_root/current.new" "$app_root/current"
# Keep the three newest releases for a quick manual rollback.
find "$app_root/releases" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn | tail -n +4 |
  cut -d' ' -f2- | while read -r old; do [[ $old == "$release_dir" ]] || rm -rf "$old"; done

install -d -o root -g metricsengine -m 0750 /var/log/metricsengine
install -m 0644 "$release_dir/deploy/ec2/metricsengine.service" /etc/systemd/system/metricsengine.service
install -m 0644 "$release_dir/deploy/ec2/metricsengine-config.service" /etc/systemd/system/metricsengine-config.service
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

log "configuring the CloudWatch agent"
log_group_prefix=$(parameter logs/group-prefix)
cw_config=/opt/aws/amazon-cloudwatch-agent/etc/metricsengine.json
jq --arg prefix "$log_group_prefix" '
  .logs.logs_collected.files.collect_list |= map(.log_group_name = ($prefix + "/" + .log_group_name))' \
  "$release_dir/deploy/ec2/cloudwatch-agent.json" >"$cw_config"
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c "file:$cw_config"

# ------------------------------------------------------------------ database
log "applying migrations"
for attempt in 1 2 3 4 5; do
  if "$release_dir/deploy/ec2/migrate.sh" "$release_dir/migrations.sql"; then
    break
  fi
  [[ $attempt -lt 5 ]] || { log "migrations failed five times"; false; }
  log "migrations failed (attempt $attempt); retrying in 20 s"
  sleep 20
done

# ------------------------------------------------------------------ start and wait
log "starting the API"
systemctl enable metricsengine.service
systemctl restart metricsengine.service

wait_ready() {
  local url=$1 deadline=$((SECONDS + ready_timeout))
  until curl -fsS -o /dev/null --max-time 5 "$url"; do
    if ((SECONDS >= deadline)); then
      log "$url did not answer 200 within ${ready_timeout}s"
      curl -sS --max-time 5 "$url" || true
      return 1
    fi
    sleep 3
  done
}
wait_ready http://127.0.0.1:8080/health/ready
wait_ready http://127.0.0.1/health/ready

log "ready"
signal 0
