#!/usr/bin/env bash
# Rolls the Auto Scaling group onto the launch template version of the new release, and back if
# it goes wrong (docs/deploy.md, "Rollback"). deploy-stack.sh left the group on the version in
# service; this starts an instance refresh whose desired configuration is the latest version, with
# the preferences in deploy/ci/instance-refresh.json:
#
#   - each new instance boots the release and must complete its launch hook (the API serving
#     /health/live through nginx) before an old one is terminated; capacity never drops
#     (MinHealthyPercentage 100, MaxHealthyPercentage 200)
#   - AutoRollback with the stack's release alarms (output ReleaseAlarms): 5xx or unready targets
#     while the database is reachable, or boot failures, during the refresh or its 5-minute bake,
#     put the previous version back on every replaced instance. A database outage is not among
#     them, so it never rolls back a good release.
#   - instances already on the version are skipped (a deploy that changed nothing replaces nothing)
#
# Environment: STACK_NAME
set -euo pipefail
# shellcheck source=deploy/ci/lib.sh
. "$(dirname "$0")/lib.sh"
require_env STACK_NAME

group=$(stack_output AutoScalingGroupName)
template_id=$(stack_output LaunchTemplateId)
version=$(stack_output LaunchTemplateLatestVersion)
alarms=$(stack_output ReleaseAlarms)
input=$(jq --arg group "$group" --arg template "$template_id" --arg version "$version" --arg alarms "$alarms" '
  .AutoScalingGroupName = $group
  | .DesiredConfiguration = {LaunchTemplate: {LaunchTemplateId: $template, Version: $version}}
  | .Preferences.AlarmSpecification.Alarms = ($alarms | split(","))' "$(dirname "$0")/instance-refresh.json")

refresh_id=$(aws autoscaling start-instance-refresh --cli-input-json "$input" --query InstanceRefreshId --output text)
echo "Instance refresh $refresh_id on $group to launch template version $version (rolls back on: $alarms)"

deadline=$((SECONDS + 3600))
while :; do
  read -r status percentage < <(aws autoscaling describe-instance-refreshes --auto-scaling-group-name "$group" \
    --instance-refresh-ids "$refresh_id" --query 'InstanceRefreshes[0].[Status, PercentageComplete]' --output text)
  echo "$(date -u +%H:%M:%S) $status ${percentage}%"
  case $status in
    Successful) exit 0 ;;
    RollbackSuccessful | RollbackFailed | Failed | Cancelled)
      reason=$(aws autoscaling describe-instance-refreshes --auto-scaling-group-name "$group" --instance-refresh-ids "$refresh_id" \
        --query 'InstanceRefreshes[0].StatusReason' --output text)
      [[ $status != RollbackSuccessful ]] ||
        die "the release was rolled back automatically, the previous version serves again: $reason (alarms: $alarms; logs: /metricsengine/$STACK_NAME/bootstrap)"
      die "instance refresh ended $status: $reason" ;;
  esac
  ((SECONDS < deadline)) || die "instance refresh $refresh_id still $status after an hour"
  sleep 15
done
