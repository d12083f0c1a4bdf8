#!/usr/bin/env bash
# Writes the API's environment file from the stack: SSM Parameter Store and Secrets Manager.
#
#   deploy/ec2/fetch-config.sh /run/metricsengine.env
#
# Run as root by metricsengine-config.service before every start of metricsengine.service, so a
# restart picks up changed parameters and rotated passwords. The file lives on /run (tmpfs, never
# on disk), mode 0600, read by systemd on the API's behalf; the API's own user cannot read it.
#
#   PARAMETER_PREFIX/env/NAME          -> NAME=value (a StringList becomes NAME__0, NAME__1, ...)
#   PARAMETER_PREFIX/db/*, the secrets -> ConnectionStrings__Metrics (metrics_app, the runtime login)
#                                         ConnectionStrings__MetricsQuery (metrics_query, the sandbox)
# Each connection string carries its pool's ceiling (db/max-pool-size, db/query-max-pool-size) as
# Npgsql's Maximum Pool Size, so the stack's connection budget holds whatever the API's own pool
# settings are (docs/deploy.md, "Connection budget").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/ec2/lib.sh
. "$here/lib.sh"

target=${1:?usage: $0 ENV_FILE}

load_stack_env
load_parameters

# systemd's EnvironmentFile and a shell read a double-quoted value the same way as long as it has
# no quote, backslash, dollar, backtick or line break: refuse those rather than guess.
emit() {
  local name=$1 value=$2
  [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "'$name' is not a valid environment variable name"
  case $value in
    *[\"\\\$\`]* | *$'\n'* | *$'\r'*) die "the value of $name contains a quote, backslash, \$, backtick or line break" ;;
  esac
  printf '%s="%s"\n' "$name" "$value"
}

host=$(parameter db/host)
port=$(parameter db/port)
database=$(parameter db/name)
sslmode=$(parameter db/sslmode)
case $sslmode in
  verify-full) ssl="SSL Mode=VerifyFull;Root Certificate=$RDS_CA_BUNDLE" ;;
  verify-ca) ssl="SSL Mode=VerifyCA;Root Certificate=$RDS_CA_BUNDLE" ;;
  require) ssl="SSL Mode=Require" ;;
  disable) ssl="SSL Mode=Disable" ;;
  *) die "db/sslmode must be verify-full, verify-ca, require or disable (got '$sslmode')" ;;
esac

connection_string() {
  local secret=$1 pool_size=$2 user password
  [[ $pool_size =~ ^[1-9][0-9]*$ ]] || die "a pool size must be a positive number (got '$pool_size')"
  user=$(secret_field "$secret" username)
  password=$(secret_field "$secret" password)
  [[ $password =~ ^[A-Za-z0-9]+$ ]] || die "the password in $secret must be letters and digits only (generate it without punctuation)"
  printf 'Host=%s;Port=%s;Database=%s;Username=%s;Password=%s;%s;Maximum Pool Size=%s' \
    "$host" "$port" "$database" "$user" "$password" "$ssl" "$pool_size"
}
app_secret=$(parameter db/app-secret-arn)
query_secret=$(parameter db/query-secret-arn)
metrics_connection=$(connection_string "$app_secret" "$(parameter db/max-pool-size)")
query_connection=$(connection_string "$query_secret" "$(parameter db/query-max-pool-size)")
environment=$(jq -r --arg prefix "$PARAMETER_PREFIX/env/" '
  .Parameters[] | select(.Name | startswith($prefix))
  | [(.Name | ltrimstr($prefix)), .Type, .Value] | @tsv' <<<"$PARAMETERS_JSON" | sort)

umask 077
tmp=$(mktemp "$target.XXXXXX")
trap 'rm -f "$tmp"' EXIT
{
  echo "# Written by deploy/ec2/fetch-config.sh from $PARAMETER_PREFIX; regenerated at every start."
  while IFS=$'\t' read -r name type value; do
    [[ -n $name ]] || continue
    if [[ $type == StringList ]]; then
      index=0
      IFS=',' read -r -a items <<<"$value"
      for item in "${items[@]}"; do
        emit "${name}__${index}" "$item"
        index=$((index + 1))
      done
    else
      emit "$name" "$value"
    fi
  done <<<"$environment"
  emit ConnectionStrings__Metrics "$metrics_connection"
  emit ConnectionStrings__MetricsQuery "$query_connection"
} >"$tmp"
mv -f "$tmp" "$target"
trap - EXIT
echo "fetch-config: wrote $(grep -c '^[A-Za-z]' "$target") settings to $target" >&2
