#!/usr/bin/env bash
# Shared by the instance scripts (fetch-config.sh, migrate.sh): the stack an instance belongs to,
# and that stack's parameters and secrets. Sourced, never run.
#
# /etc/metricsengine/stack.env is written by bootstrap.sh from the user data; it names things,
# it holds no secret:
#   AWS_REGION=eu-west-1
#   PARAMETER_PREFIX=/metricsengine/<stack>
#   RDS_CA_BUNDLE=/etc/pki/rds/global-bundle.pem

# A failure inside $(...) stops the script too, not just the substitution.
shopt -s inherit_errexit

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

load_stack_env() {
  local file=${METRICSENGINE_STACK_ENV:-/etc/metricsengine/stack.env} key value
  [[ -r $file ]] || die "cannot read $file (written by deploy/ec2/bootstrap.sh)"
  while IFS='=' read -r key value; do
    case $key in
      AWS_REGION) AWS_REGION=$value ;;
      PARAMETER_PREFIX) PARAMETER_PREFIX=$value ;;
      RDS_CA_BUNDLE) RDS_CA_BUNDLE=$value ;;
      '' | \#*) ;;
      *) die "unexpected setting '$key' in $file" ;;
    esac
  done <"$file"
  [[ -n ${AWS_REGION:-} && -n ${PARAMETER_PREFIX:-} ]] || die "$file must set AWS_REGION and PARAMETER_PREFIX"
  [[ $PARAMETER_PREFIX =~ ^/[A-Za-z0-9_./-]+$ ]] || die "PARAMETER_PREFIX '$PARAMETER_PREFIX' is not an SSM path"
  RDS_CA_BUNDLE=${RDS_CA_BUNDLE:-/etc/pki/rds/global-bundle.pem}
  export AWS_REGION AWS_DEFAULT_REGION=$AWS_REGION
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

# secret_field SECRET_ID FIELD: one field of a JSON secret ({"username", "password"}).
secret_field() {
  local json
  json=$(aws secretsmanager get-secret-value --secret-id "$1" --output json) ||
    die "cannot read secret $1"
  jq -er --arg field "$2" '.SecretString | fromjson | .[$field]' <<<"$json" ||
    die "secret $1 has no field '$2'"
}

# The psql environment (PGHOST, PGPORT, PGDATABASE, PGSSLMODE, PGSSLROOTCERT) for the stack's database.
export_pg_environment() {
  PGHOST=$(parameter db/host)
  PGPORT=$(parameter db/port)
  PGDATABASE=$(parameter db/name)
  PGSSLMODE=$(parameter db/sslmode)
  export PGHOST PGPORT PGDATABASE PGSSLMODE
  case $PGSSLMODE in
    verify-full | verify-ca) export PGSSLROOTCERT=$RDS_CA_BUNDLE ;;
    require | disable) unset PGSSLROOTCERT ;;
    *) die "db/sslmode must be verify-full, verify-ca, require or disable (got '$PGSSLMODE')" ;;
  esac
}
