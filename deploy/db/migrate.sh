#!/usr/bin/env bash
# The migration job: brings the stack's database up to a release. The stack's CodeBuild project
# (MigrationJob in deploy-template.yml) runs it inside the VPC with a role of its own, the only
# one that may read the RDS master secret and the schema owner's secret (docs/deploy.md, "The
# migration job"). Its fixed build commands download the release, check the tarball against the
# release's SHA256SUMS, unpack it and run:
#
#   deploy/db/migrate.sh MIGRATIONS_SQL
#
# Environment (set by the CodeBuild project from the stack):
#   PGHOST PGPORT PGDATABASE PGSSLMODE                      the stack's database (verify-full)
#   MASTER_SECRET_ARN OWNER_SECRET_ARN APP_SECRET_ARN QUERY_SECRET_ARN
#   MAX_INSTANCES APP_POOL_SIZE QUERY_POOL_SIZE             the connection budget's inputs
#   [DB_INSTANCE_ID LOG_RETENTION_DAYS]                     retention of RDS's own log groups
#   [RDS_CA_BUNDLE]                                         where to keep the CA bundle
#   [MIGRATE_MODE=check]                                    change nothing: the restore drill's
#                                                           check of a restored copy (see below)
#
# Steps: the RDS CA bundle (checked against the repository's checksum), the connection budget
# against the server's max_connections, db-setup.sh (roles, migrations, grants, sandbox role),
# then the retention of the log groups RDS creates for its exports. Idempotent; two runs take
# turns on an advisory lock (and the project allows one build at a time).
set -euo pipefail
shopt -s inherit_errexit

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/common/secrets.sh
. "$here/../common/secrets.sh"
# shellcheck source=deploy/common/rds-ca.sh
. "$here/../common/rds-ca.sh"

die() { echo "migrate: $*" >&2; exit 1; }

migrations=${1:?usage: $0 MIGRATIONS_SQL}
mode=${MIGRATE_MODE:-apply}
[[ $mode == apply || $mode == check ]] || die "MIGRATE_MODE must be apply or check (got '$mode')"
for name in PGHOST PGDATABASE MASTER_SECRET_ARN OWNER_SECRET_ARN APP_SECRET_ARN QUERY_SECRET_ARN \
  MAX_INSTANCES APP_POOL_SIZE QUERY_POOL_SIZE; do
  [[ -n ${!name:-} ]] || die "$name is not set (the CodeBuild project sets it from the stack)"
done
export PGPORT=${PGPORT:-5432} PGSSLMODE=${PGSSLMODE:-verify-full}

case $PGSSLMODE in
  verify-full | verify-ca)
    export PGSSLROOTCERT=${RDS_CA_BUNDLE:-/tmp/metricsengine-rds-ca/global-bundle.pem}
    fetch_rds_ca "$PGSSLROOTCERT" || die "no trusted RDS certificate bundle"
    ;;
  require | disable) unset PGSSLROOTCERT ;;
  *) die "PGSSLMODE must be verify-full, verify-ca, require or disable (got '$PGSSLMODE')" ;;
esac

# The restore drill (deploy/ci/restore-drill.sh, docs/deploy.md "Restore drill"): on a copy
# restored from the backups, each login does what the release needs of it, and the migrations the
# release expects are recorded (those missing are listed: the job would apply them). Nothing is
# changed, and the master user is not needed (the restored copy keeps the logins' passwords).
check_restored_copy() {
  local owner app query owner_password app_password query_password expected recorded pending
  owner=$(secret_field "$OWNER_SECRET_ARN" username); owner_password=$(secret_field "$OWNER_SECRET_ARN" password)
  app=$(secret_field "$APP_SECRET_ARN" username); app_password=$(secret_field "$APP_SECRET_ARN" password)
  query=$(secret_field "$QUERY_SECRET_ARN" username); query_password=$(secret_field "$QUERY_SECRET_ARN" password)
  expected=$(grep -oE "'[0-9]{14}_[A-Za-z0-9_]+'" "$migrations" | tr -d "'" | sort -u)
  recorded=$(PGUSER=$owner PGPASSWORD=$owner_password psql -X -At -v ON_ERROR_STOP=1 -c 'SELECT migration_id FROM "__EFMigrationsHistory"' | sort -u)
  pending=$(comm -23 <(echo "$expected") <(echo "$recorded"))
  echo "restore drill: $(wc -l <<<"$recorded") migration(s) recorded; pending for this release: ${pending:-none}"
  PGUSER=$app PGPASSWORD=$app_password psql -X -At -v ON_ERROR_STOP=1 \
    -c 'SELECT format($$%s metric(s), %s record(s), newest record %s$$, (SELECT count(*) FROM metric_definitions), (SELECT count(*) FROM metric_records), (SELECT max(created_at) FROM metric_records))' ||
    die "the runtime login cannot read the restored copy"
  PGUSER=$query PGPASSWORD=$query_password psql -X -At -v ON_ERROR_STOP=1 \
    -c 'SELECT count(*) || $$ metric(s) visible to the sandbox$$ FROM query_surface.metrics' ||
    die "the sandbox role cannot read the restored copy"
  echo "restore drill: the restored copy serves the runtime and sandbox logins"
}
if [[ $mode == check ]]; then
  check_restored_copy
  exit 0
fi

DB_MASTER_USER=$(secret_field "$MASTER_SECRET_ARN" username)
DB_MASTER_PASSWORD=$(secret_field "$MASTER_SECRET_ARN" password)
DB_OWNER_USER=$(secret_field "$OWNER_SECRET_ARN" username)
DB_OWNER_PASSWORD=$(secret_field "$OWNER_SECRET_ARN" password)
DB_APP_USER=$(secret_field "$APP_SECRET_ARN" username)
DB_APP_PASSWORD=$(secret_field "$APP_SECRET_ARN" password)
DB_QUERY_USER=$(secret_field "$QUERY_SECRET_ARN" username)
DB_QUERY_PASSWORD=$(secret_field "$QUERY_SECRET_ARN" password)
export DB_MASTER_USER DB_MASTER_PASSWORD DB_OWNER_USER DB_OWNER_PASSWORD DB_APP_USER DB_APP_PASSWORD DB_QUERY_USER DB_QUERY_PASSWORD

# The live server's limit, not the template's: a changed max_connections waits for a reboot.
max_connections=$(PGUSER=$DB_MASTER_USER PGPASSWORD=$DB_MASTER_PASSWORD psql -X -At -c 'SHOW max_connections') ||
  die "cannot reach the database at $PGHOST:$PGPORT as $DB_MASTER_USER"
budget=$("$here/connection-budget.sh" "$max_connections") || { echo "$budget"; die "the connection budget does not fit"; }
echo "$budget" | sed -n 1p
QUERY_CONNECTION_LIMIT=$(sed -n 's/^query_connection_limit=//p' <<<"$budget")
export QUERY_CONNECTION_LIMIT

"$here/db-setup.sh" "$migrations"

# RDS creates the log groups of its exports itself, without retention; the stack cannot own them
# (their names follow the instance identifier, known only once it exists), so the job sets it.
if [[ -n ${DB_INSTANCE_ID:-} && -n ${LOG_RETENTION_DAYS:-} ]]; then
  for export in postgresql upgrade; do
    group=/aws/rds/instance/$DB_INSTANCE_ID/$export
    if aws logs put-retention-policy --log-group-name "$group" --retention-in-days "$LOG_RETENTION_DAYS" 2>/dev/null; then
      echo "migrate: $group keeps logs $LOG_RETENTION_DAYS days"
    else
      echo "migrate: $group does not exist yet (RDS creates it with its first export); the next run sets its retention"
    fi
  done
fi
