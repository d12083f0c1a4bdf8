#!/usr/bin/env bash
# Applies a release's migrations before the instances are replaced: SSM Run Command on one running
# instance (the database is reachable only from inside the VPC) downloads the release and runs its
# deploy/ec2/migrate.sh, which is idempotent and takes an advisory lock. On the first deploy there
# is no instance yet; each new instance applies the same script at boot instead.
#
# Environment: STACK_NAME ARTIFACT_BUCKET RELEASE AWS_REGION
set -euo pipefail
# shellcheck source=deploy/ci/lib.sh
. "$(dirname "$0")/lib.sh"
require_env STACK_NAME ARTIFACT_BUCKET RELEASE AWS_REGION

if ! stack_exists; then
  echo "Stack $STACK_NAME does not exist yet: its instances will apply the migrations at boot."
  exit 0
fi
group=$(stack_output AutoScalingGroupName)
instance=$(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$group" \
  --query "AutoScalingGroups[0].Instances[?LifecycleState=='InService' && HealthStatus=='Healthy'].InstanceId | [0]" --output text)
if [[ -z $instance || $instance == None ]]; then
  echo "No healthy instance in $group: new instances will apply the migrations at boot."
  exit 0
fi

release_uri="s3://$ARTIFACT_BUCKET/releases/$RELEASE/metricsengine.tar.gz"
parameters=$(jq -n --arg uri "$release_uri" --arg region "$AWS_REGION" '{commands: [
  "set -euo pipefail",
  "work=$(mktemp -d)",
  "trap '\''rm -rf \"$work\"'\'' EXIT",
  "aws s3 cp --only-show-errors --region \($region) \($uri) \"$work/release.tar.gz\"",
  "tar -xzf \"$work/release.tar.gz\" -C \"$work\"",
  "\"$work/deploy/ec2/migrate.sh\" \"$work/migrations.sql\""
], executionTimeout: ["900"]}')

echo "Applying the migrations of $RELEASE through $instance"
command_id=$(aws ssm send-command --instance-ids "$instance" --document-name AWS-RunShellScript \
  --comment "metricsengine migrations ${RELEASE:0:12}" --parameters "$parameters" \
  --cloud-watch-output-config "CloudWatchOutputEnabled=true,CloudWatchLogGroupName=/metricsengine/$STACK_NAME/bootstrap" \
  --query Command.CommandId --output text)

deadline=$((SECONDS + 960))
while :; do
  status=$(aws ssm get-command-invocation --command-id "$command_id" --instance-id "$instance" \
    --query Status --output text 2>/dev/null || echo Pending)
  case $status in
    Success | Failed | Cancelled | TimedOut) break ;;
  esac
  ((SECONDS < deadline)) || die "the migration command $command_id did not finish"
  sleep 5
done
aws ssm get-command-invocation --command-id "$command_id" --instance-id "$instance" \
  --query '[StandardOutputContent, StandardErrorContent]' --output text
[[ $status == Success ]] || die "migrations ended with status $status; the stack was not changed"
