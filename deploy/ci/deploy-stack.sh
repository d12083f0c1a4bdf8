#!/usr/bin/env bash
# Creates or updates the application stack from deploy-template.yml with the release to run.
# A new ReleaseVersion makes a new launch template version; instance-refresh.sh rolls it out.
#
# Environment: STACK_NAME ARTIFACT_BUCKET RELEASE CFN_EXECUTION_ROLE_ARN CERTIFICATE_ARN
#              COGNITO_DOMAIN_PREFIX [API_DOMAIN_NAME HOSTED_ZONE_ID STACK_PARAMETERS]
# STACK_PARAMETERS: further Key=Value overrides separated by spaces (e.g. "DesiredCapacity=2 DbMultiAz=true").
# Parameters not given keep their current value on an update.
set -euo pipefail
# shellcheck source=deploy/ci/lib.sh
. "$(dirname "$0")/lib.sh"
require_env STACK_NAME ARTIFACT_BUCKET RELEASE CFN_EXECUTION_ROLE_ARN CERTIFICATE_ARN COGNITO_DOMAIN_PREFIX

if stack_exists; then
  state=$(aws cloudformation describe-stacks --stack-name "$STACK_NAME" --query 'Stacks[0].StackStatus' --output text)
  [[ $state != ROLLBACK_COMPLETE ]] ||
    die "$STACK_NAME failed its first creation (ROLLBACK_COMPLETE): read its events, delete it, and deploy again"
fi

overrides=(
  "ReleaseVersion=$RELEASE"
  "ArtifactBucket=$ARTIFACT_BUCKET"
  "CertificateArn=$CERTIFICATE_ARN"
  "CognitoDomainPrefix=$COGNITO_DOMAIN_PREFIX"
  "ApiDomainName=${API_DOMAIN_NAME:-}"
  "HostedZoneId=${HOSTED_ZONE_ID:-}"
)
read -r -a extra <<<"${STACK_PARAMETERS:-}"
for item in "${extra[@]}"; do
  [[ $item =~ ^[A-Za-z][A-Za-z0-9]*=[^[:space:]]*$ ]] || die "STACK_PARAMETERS: '$item' is not Key=Value"
  overrides+=("$item")
done

aws cloudformation deploy \
  --stack-name "$STACK_NAME" \
  --template-file deploy-template.yml \
  --s3-bucket "$ARTIFACT_BUCKET" --s3-prefix templates \
  --role-arn "$CFN_EXECUTION_ROLE_ARN" \
  --capabilities CAPABILITY_IAM \
  --no-fail-on-empty-changeset \
  --tags application=metricsengine \
  --parameter-overrides "${overrides[@]}"
aws cloudformation describe-stacks --stack-name "$STACK_NAME" --query 'Stacks[0].Outputs' --output table
