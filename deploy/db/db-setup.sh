#!/usr/bin/env bash
# Brings a MetricsEngine database up to a release: roles, migrations, runtime grants, the sandbox
# role's password. The migration job runs it (deploy/db/migrate.sh); nothing on the web instances
# does, and they hold none of the credentials it needs.
#
#   deploy/db/db-setup.sh MIGRATIONS_SQL
#
# MIGRATIONS_SQL is the idempotent script the build generated from the EF Core migrations
# ('MetricsEngine.Web.dll migrate --script'). Connection and credentials come from the environment:
#
#   PGHOST PGPORT PGDATABASE [PGSSLMODE PGSSLROOTCERT]   where the database is
#   DB_MASTER_USER DB_MASTER_PASSWORD                   the RDS master user (roles only)
#   DB_OWNER_USER DB_OWNER_PASSWORD                     metrics_owner: owns the schema, runs the migrations
#   DB_APP_USER DB_APP_PASSWORD                         metrics_app: the API's runtime login (rows only)
#   DB_QUERY_USER DB_QUERY_PASSWORD                     metrics_query, the sandbox role
#   [QUERY_CONNECTION_LIMIT]                            passed to query-role.sql as query_connection_limit
#
# Steps, each idempotent and each under one PostgreSQL advisory lock, so two runs take turns:
#   1. deploy/sql/roles.sql as the master user: the three roles, database and schema privileges.
#   2. deploy/sql/handover.sql as the runtime login, only if it still owns objects (a database set
#      up before the owner/runtime split), then its temporary membership in the owner is revoked.
#   3. the migration script as the owner (so it owns what the migrations create).
#   4. deploy/sql/grants.sql as the owner: the runtime login's privileges, now and by default.
#   5. deploy/sql/query-role.sql as the master user: the sandbox role's password and limits.
set -euo pipefail
shopt -s inherit_errexit

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sql_dir=${METRICSENGINE_SQL_DIR:-$here/../sql}
migrations=${1:?usage: $0 MIGRATIONS_SQL}

# Any constant works as long as every step uses the same one.
lock_key=72463601

die() { echo "db-setup: $*" >&2; exit 1; }

for name in PGHOST PGDATABASE DB_MASTER_USER DB_MASTER_PASSWORD DB_OWNER_USER DB_OWNER_PASSWORD \
  DB_APP_USER DB_APP_PASSWORD DB_QUERY_USER DB_QUERY_PASSWORD; do
  [[ -n ${!name:-} ]] || die "$name is not set"
done
[[ -r $migrations ]] || die "cannot read the migration script $migrations"
grep -q '__EFMigrationsHistory' "$migrations" || die "$migrations does not look like an EF Core migration script"
for name in DB_OWNER_USER DB_APP_USER DB_QUERY_USER; do
  [[ ${!name} =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "$name must be a plain lower-case role name"
done
[[ $DB_OWNER_USER != "$DB_APP_USER" ]] || die "the schema owner and the runtime login must be different roles"
[[ ${QUERY_CONNECTION_LIMIT:--1} =~ ^-?[0-9]+$ ]] || die "QUERY_CONNECTION_LIMIT must be a number"

# SCRAM-SHA-256 verifier (RFC 5802/7677, PostgreSQL's format) of the password on stdin, so that
# ALTER ROLE carries a verifier, never the password itself. Passwords are ASCII (Secrets Manager
# generates them without punctuation), for which SASLprep changes nothing.
scram_verifier() {
  python3 -c '
import base64, hashlib, hmac, os, sys
password = sys.stdin.buffer.read()
salt, iterations = os.urandom(16), 4096
salted = hashlib.pbkdf2_hmac("sha256", password, salt, iterations)
client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
b64 = lambda b: base64.b64encode(b).decode()
print("SCRAM-SHA-256$%d:%s$%s:%s" % (iterations, b64(salt), b64(hashlib.sha256(client_key).digest()), b64(server_key)))
'
}

psql_as() {
  local user=$1 password=$2
  shift 2
  PGUSER=$user PGPASSWORD=$password PGAPPNAME=metricsengine-db-setup \
    psql -X -q -v ON_ERROR_STOP=1 -v lock_key="$lock_key" "$@"
}
as_master() { psql_as "$DB_MASTER_USER" "$DB_MASTER_PASSWORD" "$@"; }
as_owner() { psql_as "$DB_OWNER_USER" "$DB_OWNER_PASSWORD" "$@"; }
as_app() { psql_as "$DB_APP_USER" "$DB_APP_PASSWORD" "$@"; }

echo "db-setup: roles (as ${DB_MASTER_USER})" >&2
roles_output=$(as_master \
  -v owner_user="$DB_OWNER_USER" \
  -v owner_verifier="$(printf '%s' "$DB_OWNER_PASSWORD" | scram_verifier)" \
  -v app_user="$DB_APP_USER" \
  -v app_verifier="$(printf '%s' "$DB_APP_PASSWORD" | scram_verifier)" \
  -v query_user="$DB_QUERY_USER" \
  -f "$sql_dir/roles.sql")

if grep -qx 'handover_needed=t' <<<"$roles_output"; then
  echo "db-setup: ${DB_APP_USER} still owns objects: handing them to ${DB_OWNER_USER}" >&2
  as_app -v owner_user="$DB_OWNER_USER" -v app_user="$DB_APP_USER" -f "$sql_dir/handover.sql"
  as_master -c "REVOKE \"$DB_OWNER_USER\" FROM \"$DB_APP_USER\""
fi

# lock_timeout bounds how long a migration waits behind the API's own locks: better a failed
# migration job (retried by the next deploy) than every request queued behind a waiting ALTER TABLE.
echo "db-setup: migrations from $migrations (as ${DB_OWNER_USER})" >&2
as_owner \
  -c "SELECT pg_advisory_lock($lock_key)" \
  -c "SET lock_timeout = '30s'" \
  -c "SET client_min_messages = warning" \
  -f "$migrations" \
  -c "SELECT pg_advisory_unlock($lock_key)" >/dev/null

echo "db-setup: runtime privileges of ${DB_APP_USER} (as ${DB_OWNER_USER})" >&2
as_owner -v app_user="$DB_APP_USER" -f "$sql_dir/grants.sql" >/dev/null

echo "db-setup: sandbox role ${DB_QUERY_USER} (as ${DB_MASTER_USER})" >&2
as_master \
  -v query_user="$DB_QUERY_USER" \
  -v query_verifier="$(printf '%s' "$DB_QUERY_PASSWORD" | scram_verifier)" \
  -v query_connection_limit="${QUERY_CONNECTION_LIMIT:--1}" \
  -f "$sql_dir/query-role.sql"

applied=$(as_app -At -c 'SELECT count(*) FROM "__EFMigrationsHistory"')
echo "db-setup: done; ${applied} migration(s) recorded in __EFMigrationsHistory" >&2
