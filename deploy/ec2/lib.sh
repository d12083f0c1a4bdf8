#!/usr/bin/env bash
# Shared by the instance scripts (bootstrap.sh, fetch-config.sh, health-watch.sh): the stack an
# instance belongs to, and that stack's parameters and secrets. Sourced, never run.
#
# /etc/metricsengine/stack.env is written by bootstrap.sh from the user data; it names things,
# it holds no secret:
#   AWS_REGION=eu-west-1
#   PARAMETER_PREFIX=/metricsengine/<stack>
#   RDS_CA_BUNDLE=/etc/pki/rds/global-bundle.pem
#   AUTOSCALING_GROUP=<the instance's Auto Scaling group>      (health-watch.sh)
#   INSTANCE_ID=i-0123456789abcdef0                            (health-watch.sh)

# A failure inside $(...) stops the script too, not just the substitution.
shopt -s inherit_errexit

# shellcheck source=deploy/common/secrets.sh
. "$(dirname "${BASH_SOURCE[0]}")/../common/secrets.sh"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

load_stack_env() {
  local file=${METRICSENGINE_STACK_ENV:-/etc/metricsengine/stack.env} key value
  [[ -r $file ]] || die "cannot read $file (written by deploy/ec2/bootstrap.sh)"
  while IFS='=' read -r key value; do
    case $key in
      AWS_REGION) AWS_REGION=$value ;;
      PARAMETER_PREFIX) PARAMETER_PREFIX=$value ;;
      RDS_CA_BUNDLE) RDS_CA_BUNDLE=$value ;;
      AUTOSCALING_GROUP) AUTOSCALING_GROUP=$value ;;
      INSTANCE_ID) INSTANCE_ID=$value ;;
      '' | \#*) ;;
      *) die "unexpected setting '$key' in $file" ;;
    esac
  done <"$file"
  [[ -n ${AWS_REGION:-} && -n ${PARAMETER_PREFIX:-} ]] || die "$file must set AWS_REGION and PARAMETER_PREFIX"
  [[ $PARAMETER_PREFIX =~ ^/[A-Za-z0-9_./-]+$ ]] || die "PARAMETER_PREFIX '$PARAMETER_PREFIX' is not an SSM path"
  RDS_CA_BUNDLE=${RDS_CA_BUNDLE:-/etc/pki/rds/global-bundle.pem}
  export AWS_REGION AWS_DEFAULT_REGION=$AWS_REGION AUTOSCALING_GROUP INSTANCE_ID
}

# Every parameter under the prefix, once: {"Parameters": [{"Name", "Type", "Value"}, ...]}.
load_parameters() {
  PARAMETERS_JSON=$(aws ssm get-parameters-by-path --path "$PARAMETER_PREFIX" --recursive \
    --with-decryption --output json) || die "cannot read SSM parameters under $PARAMETER_PREFIX"
}

# parameter NAME: the value of PARAMETER_PREFIX/NAME; fails when it does not exist.
parameter() {
  local value
  value=$(jq -er --arg name "$PARAMETER_PREFIX/$1" \
    '.Parameters[] | select(.Name == $name) | .Value' <<<"$PARAMETERS_JSON") ||
    die "SSM parameter $PARAMETER_PREFIX/$1 is missing"
  printf '%s' "$value"
}
