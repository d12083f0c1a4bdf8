#!/usr/bin/env bash
# Brings a MetricsEngine database up to a release: roles, migrations, the sandbox role's password.
#
#   deploy/ec2/db-setup.sh MIGRATIONS_SQL
#
# MIGRATIONS_SQL is the idempotent script the build generated from the EF Core migrations
# ('MetricsEngine.Web.dll migrate --script'). Connection and credentials come from the environment
# (deploy/ec2/migrate.sh fills it from SSM Parameter Store and Secrets Manager on an instance):
#
#   PGHOST PGPORT PGDATABASE [PGSSLMODE PGSSLROOTCERT]   where the database is
#   DB_MASTER_USER DB_MASTER_PASSWORD                   the RDS master user (roles only)
#   DB_APP_USER DB_APP_PASSWORD                         the API's login; owns the schema
#   DB_QUERY_USER DB_QUERY_PASSWORD                     metrics_query, the sandbox role (SPEC §6)
#
# Steps, each idempotent and each under one PostgreSQL advisory lock, so instances that boot
# together, or a deploy racing a scale-out, take turns instead of racing:
#   1. deploy/sql/roles.sql as the master user: the API's role, its privileges, metrics_query.
#   2. the migration script as the API's role (so it owns what the migrations create).
#   3. deploy/sql/query-role.sql as the master user: metrics_query's password.
set -euo pipefail
shopt -s inherit_errexit

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sql_dir=${METRICSENGINE_SQL_DIR:-$here/../sql}
migrations=${1:?usage: $0 MIGRATIONS_SQL}

# Any constant works as long as every step uses the same one.
lock_key=72463601

die() { echo "db-setup: $*" >&2; exit 1; }

for name in PGHOST PGDATABASE DB_MASTER_USER DB_MASTER_PASSWORD DB_APP_USER DB_APP_PASSWORD DB_QUERY_USER DB_QUERY_PASSWORD; do
  [[ -n ${!name:-} ]] || die "$name is not set"
done
[[ -r $migrations ]] || die "cannot read the migration script $migrations"
grep -q '__EFMigrationsHistory' "$migrations" || die "$migrations does not look like an EF Core migration script"
for name in DB_APP_USER DB_QUERY_USER; do
  [[ ${!name} =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "$name must be a plain lower-case role name"
done

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

echo "db-setup: roles (as ${DB_MASTER_USER})" >&2
psql_as "$DB_MASTER_USER" "$DB_MASTER_PASSWORD" \
  -v app_user="$DB_APP_USER" \
  -v app_verifier="$(printf '%s' "$DB_APP_PASSWORD" | scram_verifier)" \
  -v query_user="$DB_QUERY_USER" \
  -f "$sql_dir/roles.sql"

# lock_timeout bounds how long a migration waits behind the API's own locks: better a failed
# deploy (retried later) than every request queued behind a waiting ALTER TABLE.
echo "db-setup: migrations from $migrations (as ${DB_APP_USER})" >&2
psql_as "$DB_APP_USER" "$DB_APP_PASSWORD" \
  -c "SELECT pg_advisory_lock($lock_key)" \
  -c "SET lock_timeout = '30s'" \
  -c "SET client_min_messages = warning" \
  -f "$migrations" \
  -c "SELECT pg_advisory_unlock($lock_key)" >/dev/null

echo "db-setup: sandbox role ${DB_QUERY_USER} (as ${DB_MASTER_USER})" >&2
psql_as "$DB_MASTER_USER" "$DB_MASTER_PASSWORD" \
  -v query_user="$DB_QUERY_USER" \
  -v query_verifier="$(printf '%s' "$DB_QUERY_PASSWORD" | scram_verifier)" \
  -f "$sql_dir/query-role.sql"

applied=$(psql_as "$DB_APP_USER" "$DB_APP_PASSWORD" -At -c 'SELECT count(*) FROM "__EFMigrationsHistory"')
echo "db-setup: done; ${applied} migration(s) recorded in __EFMigrationsHistory" >&2
