#!/usr/bin/env bash
# Creates or updates the application stack from deploy-template.yml with the release to run.
# A new ReleaseVersion makes a new launch template version, but the Auto Scaling group stays on
# the version in service (LaunchTemplateVersionInService): instance-refresh.sh moves it, with
# automatic rollback. The first creation runs the release on every instance at once.
#
# Then the stack policy (deploy/aws/stack-policy.json: the database and the user pool are never
# replaced or deleted by an update) and termination protection, on every deploy.
#
# Environment: STACK_NAME ARTIFACT_BUCKET RELEASE CFN_EXECUTION_ROLE_ARN CERTIFICATE_ARN
#              COGNITO_DOMAIN_PREFIX ALARM_EMAIL [API_DOMAIN_NAME HOSTED_ZONE_ID STACK_PARAMETERS]
# STACK_PARAMETERS: further Key=Value overrides separated by spaces (e.g. "DesiredCapacity=2 DbMultiAz=true").
# Parameters not given keep their current value on an update.
set -euo pipefail
# shellcheck source=deploy/ci/lib.sh
. "$(dirname "$0")/lib.sh"
require_env STACK_NAME ARTIFACT_BUCKET RELEASE CFN_EXECUTION_ROLE_ARN CERTIFICATE_ARN COGNITO_DOMAIN_PREFIX ALARM_EMAIL
root=$(cd "$(dirname "$0")/../.." && pwd)

in_service=''
if stack_exists; then
  state=$(aws cloudformation describe-stacks --stack-name "$STACK_NAME" --query 'Stacks[0].StackStatus' --output text)
  [[ $state != ROLLBACK_COMPLETE ]] ||
    die "$STACK_NAME failed its first creation (ROLLBACK_COMPLETE): read its events, delete it, and deploy again"
  group=$(stack_output AutoScalingGroupName)
  in_service=$(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$group" \
    --query 'AutoScalingGroups[0].LaunchTemplate.Version' --output text)
  [[ $in_service =~ ^[0-9]+$ ]] || die "the group $group runs launch template version '$in_service'; expected a number"
  echo "The group stays on launch template version $in_service until the instance refresh."
fi

overrides=(
  "ReleaseVersion=$RELEASE"
  "ArtifactBucket=$ARTIFACT_BUCKET"
  "CertificateArn=$CERTIFICATE_ARN"
  "CognitoDomainPrefix=$COGNITO_DOMAIN_PREFIX"
  "AlarmEmail=$ALARM_EMAIL"
  "ApiDomainName=${API_DOMAIN_NAME:-}"
  "HostedZoneId=${HOSTED_ZONE_ID:-}"
  "LaunchTemplateVersionInService=$in_service"
)
read -r -a extra <<<"${STACK_PARAMETERS:-}"
for item in "${extra[@]}"; do
  [[ $item =~ ^[A-Za-z][A-Za-z0-9]*=[^[:space:]]*$ ]] || die "STACK_PARAMETERS: '$item' is not Key=Value"
  [[ $item != LaunchTemplateVersionInService=* ]] || die "STACK_PARAMETERS: LaunchTemplateVersionInService is the deploy's to set"
  overrides+=("$item")
done

aws cloudformation deploy \
  --stack-name "$STACK_NAME" \
  --template-file "$root/deploy-template.yml" \
  --s3-bucket "$ARTIFACT_BUCKET" --s3-prefix templates \
  --role-arn "$CFN_EXECUTION_ROLE_ARN" \
  --capabilities CAPABILITY_IAM \
  --no-fail-on-empty-changeset \
  --tags application=metricsengine \
  --parameter-overrides "${overrides[@]}"

aws cloudformation set-stack-policy --stack-name "$STACK_NAME" --stack-policy-body "file://$root/deploy/aws/stack-policy.json"
aws cloudformation update-termination-protection --stack-name "$STACK_NAME" --enable-termination-protection >/dev/null
echo "Stack policy applied (the database and the user pool are never replaced or deleted); termination protection on."
aws cloudformation describe-stacks --stack-name "$STACK_NAME" --query 'Stacks[0].Outputs' --output table
