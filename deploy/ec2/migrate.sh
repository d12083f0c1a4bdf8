#!/usr/bin/env bash
# Applies a release's migrations to the stack's database from an instance (inside the VPC).
#
#   deploy/ec2/migrate.sh                         # the installed release's migrations.sql
#   deploy/ec2/migrate.sh s3://BUCKET/releases/V/migrations.sql
#   deploy/ec2/migrate.sh /path/to/migrations.sql
#
# bootstrap.sh runs it before the API starts on a new instance, and the deploy workflow runs it
# through SSM Run Command on one running instance before the instance refresh, so the schema is
# ahead of the code (migrations must therefore keep the previous release working). Idempotent and
# serialised by an advisory lock (see db-setup.sh): running it twice, or on two instances at
# once, is harmless.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/ec2/lib.sh
. "$here/lib.sh"

source=${1:-$here/../../migrations.sql}

load_stack_env
load_parameters

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
if [[ $source == s3://* ]]; then
  aws s3 cp --only-show-errors "$source" "$workdir/migrations.sql"
  source=$workdir/migrations.sql
fi

export_pg_environment
master_secret=$(parameter db/master-secret-arn)
app_secret=$(parameter db/app-secret-arn)
query_secret=$(parameter db/query-secret-arn)
DB_MASTER_USER=$(secret_field "$master_secret" username)
DB_MASTER_PASSWORD=$(secret_field "$master_secret" password)
DB_APP_USER=$(secret_field "$app_secret" username)
DB_APP_PASSWORD=$(secret_field "$app_secret" password)
DB_QUERY_USER=$(secret_field "$query_secret" username)
DB_QUERY_PASSWORD=$(secret_field "$query_secret" password)
export DB_MASTER_USER DB_MASTER_PASSWORD DB_APP_USER DB_APP_PASSWORD DB_QUERY_USER DB_QUERY_PASSWORD

"$here/db-setup.sh" "$source"
