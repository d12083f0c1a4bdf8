#!/usr/bin/env bash
# Rolls the Auto Scaling group onto the launch template version of the new release: each new
# instance boots the release and must pass the load balancer's /health/ready check before an old
# one is terminated (MinHealthyPercentage 100, MaxHealthyPercentage 200), so capacity never drops.
# Instances already on the latest version are skipped (a deploy that changed nothing replaces
# nothing). If a new instance never becomes healthy the refresh fails and the old ones keep serving.
#
# Environment: STACK_NAME
set -euo pipefail
# shellcheck source=deploy/ci/lib.sh
. "$(dirname "$0")/lib.sh"
require_env STACK_NAME

group=$(stack_output AutoScalingGroupName)
refresh_id=$(aws autoscaling start-instance-refresh --auto-scaling-group-name "$group" --strategy Rolling \
  --preferences '{"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200, "SkipMatching": true, "InstanceWarmup": 60}' \
  --query InstanceRefreshId --output text)
echo "Instance refresh $refresh_id on $group"

deadline=$((SECONDS + 2700))
while :; do
  read -r status percentage < <(aws autoscaling describe-instance-refreshes --auto-scaling-group-name "$group" \
    --instance-refresh-ids "$refresh_id" --query 'InstanceRefreshes[0].[Status, PercentageComplete]' --output text)
  echo "$(date -u +%H:%M:%S) $status ${percentage}%"
  case $status in
    Successful) exit 0 ;;
    Failed | Cancelled | RollbackSuccessful | RollbackFailed)
      aws autoscaling describe-instance-refreshes --auto-scaling-group-name "$group" --instance-refresh-ids "$refresh_id" \
        --query 'InstanceRefreshes[0].StatusReason' --output text
      die "instance refresh ended $status" ;;
  esac
  ((SECONDS < deadline)) || die "instance refresh $refresh_id still $status after 45 minutes"
  sleep 15
done
