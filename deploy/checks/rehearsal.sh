#!/usr/bin/env bash
# Rehearsal checks of deploy/checks/run-all.sh: the release is built (and the previous one), the
# database is migrated by the migration job's own commands against a PostgreSQL that behaves like
# RDS (a non-superuser master, SCRAM, TLS checked against a CA bundle), the API runs as an instance
# runs it, and nginx runs with the repository's configuration in front of it. Sourced by
# run-all.sh; shared state lives in $WORK (release-root/, previous/, pg/, api.log, state.env),
# later checks depend on earlier ones. ROOT, WORK, CHECKS and CACHE come from run-all.sh.
# shellcheck disable=SC2153

RELEASE=$WORK/release-root
PREVIOUS=$WORK/previous
STACK_PREFIX=/metricsengine/rehearsal
STUB_PATH=$CHECKS/instance-stub:$CHECKS/aws-stub

# deploy/package.sh, as the deploy workflow runs it; unpacked like an instance's release dir.
check_package() {
  "$ROOT/deploy/package.sh" "$WORK/release" rehearsal
  (cd "$WORK/release" && sha256sum -c SHA256SUMS)
  mkdir -p "$RELEASE"
  tar -xzf "$WORK/release/metricsengine.tar.gz" -C "$RELEASE"
  local required
  for required in app/MetricsEngine.Web.dll app/wwwroot/dashboard/index.html migrations.sql VERSION docs/deploy.md \
    deploy/ec2/bootstrap.sh deploy/ec2/fetch-config.sh deploy/ec2/health-watch.sh deploy/ec2/lib.sh \
    deploy/ec2/metricsengine.service deploy/ec2/metricsengine-config.service deploy/ec2/metricsengine-health.service \
    deploy/ec2/metricsengine-health.timer deploy/ec2/cloudwatch-agent.json deploy/ec2/prometheus.yaml \
    deploy/db/migrate.sh deploy/db/db-setup.sh deploy/db/connection-budget.sh \
    deploy/common/rds-ca.sh deploy/common/secrets.sh deploy/common/rds-global-bundle.pem.sha256 \
    deploy/nginx/render.sh deploy/sql/roles.sql deploy/sql/handover.sql deploy/sql/grants.sql deploy/sql/query-role.sql; do
    [[ -e $RELEASE/$required ]] || fail "the release lacks $required"
  done
  for required in deploy/ec2/bootstrap.sh deploy/ec2/fetch-config.sh deploy/ec2/health-watch.sh \
    deploy/db/migrate.sh deploy/db/db-setup.sh deploy/db/connection-budget.sh deploy/nginx/render.sh; do
    [[ -x $RELEASE/$required ]] || fail "$required is not executable in the release"
  done
  grep -q 'CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory"' "$RELEASE/migrations.sql" || fail "migrations.sql is not the idempotent script"
  [[ $(cat "$RELEASE/VERSION") == rehearsal ]] || fail "VERSION is not the release name"
  echo "release: $(du -h "$WORK/release/metricsengine.tar.gz" | cut -f1), $(grep -oE "'[0-9]{14}_[A-Za-z0-9_]+'" "$RELEASE/migrations.sql" | sort -u | wc -l) migration(s)"
}

# The release that runs in production while this one rolls out: on a branch, where it leaves main
# (main is what is deployed); on main, the commit before (first parent). Built once per commit
# into the cache. METRICSENGINE_PREVIOUS_RELEASE names another commit.
check_previous_release() {
  local commit main_ref cache
  commit=${METRICSENGINE_PREVIOUS_RELEASE:-}
  if [[ -z $commit ]]; then
    for main_ref in origin/main main; do git rev-parse -q --verify "$main_ref^{commit}" >/dev/null && break; main_ref=''; done
    [[ -n $main_ref ]] || fail "no main branch in this clone: set METRICSENGINE_PREVIOUS_RELEASE to the commit in production"
    commit=$(git merge-base HEAD "$main_ref")
    if [[ $commit == "$(git rev-parse HEAD)" ]]; then
      commit=$(git rev-parse -q --verify 'HEAD^1^{commit}') ||
        fail "HEAD has no parent in this clone (shallow?): fetch more history or set METRICSENGINE_PREVIOUS_RELEASE"
    fi
  fi
  commit=$(git rev-parse --verify "$commit^{commit}")
  echo "previous release: $(git log -1 --format='%h %s' "$commit")"
  cache=$CACHE/previous-release-$commit
  if [[ ! -f $cache/.built ]]; then
    rm -rf "$cache" && mkdir -p "$cache/src"
    git archive "$commit" | tar -x -C "$cache/src"
    "$cache/src/deploy/package.sh" "$cache/out" "previous-${commit:0:12}"
    rm -rf "$cache/src"
    touch "$cache/.built"
  else
    echo "built before: $cache"
  fi
  mkdir -p "$PREVIOUS"
  tar -xzf "$cache/out/metricsengine.tar.gz" -C "$PREVIOUS"
  echo "$commit" >"$WORK/previous-commit"
}

# ------------------------------------------------------------------ the stack, as fixtures
# stack.env, SSM parameters and secrets (through the AWS CLI stand-in in aws-stub/), pointing at
# the rehearsal's PostgreSQL; the S3 bucket holds this release as the deploy uploads it.
write_stack_fixtures() {
  local port=$1 stub=$WORK/aws
  ISSUER_PORT=$(free_port)
  mkdir -p "$stub/s3/artifacts/releases/rehearsal"
  cp "$WORK/release/metricsengine.tar.gz" "$WORK/release/migrations.sql" "$WORK/release/SHA256SUMS" "$stub/s3/artifacts/releases/rehearsal/"
  cp "$WORK/tls/ca.crt" "$stub/rds-ca.pem"
  cat >"$WORK/stack.env" <<EOF
AWS_REGION=eu-west-1
PARAMETER_PREFIX=$STACK_PREFIX
RDS_CA_BUNDLE=$WORK/tls/ca.crt
AUTOSCALING_GROUP=rehearsal-asg
INSTANCE_ID=i-0123456789abcdef0
EOF
  local p=$STACK_PREFIX
  jq -n --arg p "$p" --arg port "$port" --arg issuer "http://127.0.0.1:$ISSUER_PORT/pool" '{Parameters: [
    {Name: "\($p)/env/ASPNETCORE_ENVIRONMENT", Type: "String", Value: "Testing"},
    {Name: "\($p)/env/Auth__Authority", Type: "String", Value: $issuer},
    {Name: "\($p)/env/Auth__RequireHttpsMetadata", Type: "String", Value: "false"},
    {Name: "\($p)/env/Auth__ClientIds", Type: "StringList", Value: "rehearsal-client,rotation-client"},
    {Name: "\($p)/env/Query__TimeoutSeconds", Type: "String", Value: "10"},
    {Name: "\($p)/env/Query__MaxRows", Type: "String", Value: "10000"},
    {Name: "\($p)/env/Import__OnStartup", Type: "String", Value: "false"},
    {Name: "\($p)/env/Logging__Format", Type: "String", Value: "json"},
    {Name: "\($p)/db/host", Type: "String", Value: "127.0.0.1"},
    {Name: "\($p)/db/port", Type: "String", Value: $port},
    {Name: "\($p)/db/name", Type: "String", Value: "metrics"},
    {Name: "\($p)/db/sslmode", Type: "String", Value: "verify-full"},
    {Name: "\($p)/db/max-pool-size", Type: "String", Value: "10"},
    {Name: "\($p)/db/query-max-pool-size", Type: "String", Value: "10"},
    {Name: "\($p)/db/master-secret-arn", Type: "String", Value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-master"},
    {Name: "\($p)/db/app-secret-arn", Type: "String", Value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app"},
    {Name: "\($p)/db/query-secret-arn", Type: "String", Value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:query"},
    {Name: "\($p)/nginx/trusted-proxies", Type: "String", Value: "127.0.0.3/32"},
    {Name: "/metricsengine/another-stack/env/Auth__UserPoolId", Type: "String", Value: "must-not-leak"}
  ]}' >"$stub/ssm.json"
  # Random letters and digits, like Secrets Manager's GenerateSecretString without punctuation.
  APP_PASSWORD=$(openssl rand -hex 20)
  QUERY_PASSWORD=$(openssl rand -hex 20)
  OWNER_PASSWORD=$(openssl rand -hex 20)
  MASTER_PASSWORD=$(openssl rand -hex 20)
  jq -n --arg app "$APP_PASSWORD" --arg query "$QUERY_PASSWORD" --arg owner "$OWNER_PASSWORD" --arg master "$MASTER_PASSWORD" '{
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-master": {username: "rds_master", password: $master},
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:owner": {username: "metrics_owner", password: $owner},
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app": {username: "metrics_app", password: $app},
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:query": {username: "metrics_query", password: $query}
  }' >"$stub/secrets.json"
  printf 'APP_PASSWORD=%s\nQUERY_PASSWORD=%s\nOWNER_PASSWORD=%s\nMASTER_PASSWORD=%s\nPG_PORT=%s\nISSUER_PORT=%s\n' \
    "$APP_PASSWORD" "$QUERY_PASSWORD" "$OWNER_PASSWORD" "$MASTER_PASSWORD" "$port" "$ISSUER_PORT" >"$WORK/state.env"
}

# The rehearsal's stand-in for RDS's certificate authority and the server certificate it signs
# (for 127.0.0.1), and the checksum file that trusts this bundle instead of the real one.
make_tls() {
  local dir=$WORK/tls
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Rehearsal RDS CA' \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile <(printf 'subjectAltName=IP:127.0.0.1\n') -out "$dir/server.crt" 2>/dev/null
  chown postgres "$dir/server.key" "$dir/server.crt" && chmod 0600 "$dir/server.key"
  chmod 0755 "$dir" && chmod 0644 "$dir/ca.crt"
  printf '%s  rds-global-bundle.pem\n' "$(sha256sum "$dir/ca.crt" | cut -d' ' -f1)" >"$dir/rds-global-bundle.pem.sha256"
}

as_instance() {
  env PATH="$STUB_PATH:$PATH" AWS_STUB_DIR="$WORK/aws" METRICSENGINE_STACK_ENV="$WORK/stack.env" \
    RDS_CA_CHECKSUM_FILE="$WORK/tls/rds-global-bundle.pem.sha256" "$@"
}

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
psql_login() { # psql_login USER PASSWORD ARGS...: a password login over TLS, as the API makes it
  local user=$1 password=$2
  shift 2
  PGPASSWORD=$password PGSSLMODE=verify-full PGSSLROOTCERT=$WORK/tls/ca.crt \
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$user" -d metrics "$@"
}

# The migration job's build commands, from deploy-template.yml, with the environment the
# CodeBuild project gives them (the stack's values replaced by the rehearsal's).
run_migration_job() { # run_migration_job WORKDIR [STUB_DIR [NAME=VALUE...]]: the last are overrides
  local stub=${2:-$WORK/aws} values
  values=$(jq -nc --arg port "$PG_PORT" '{
    ArtifactBucket: "artifacts", ReleaseVersion: "rehearsal", DbName: "metrics",
    "Database.Endpoint.Address": "127.0.0.1", "Database.Endpoint.Port": $port,
    "Database.MasterUserSecret.SecretArn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-master",
    OwnerDatabaseSecret: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:owner",
    AppDatabaseSecret: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app",
    QueryDatabaseSecret: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:query",
    MaxSize: "4", DbPoolSize: "10", QueryMaxConcurrent: "10", Database: "rehearsal-db", LogRetentionDays: "30"}')
  local -a environment
  mapfile -t environment < <(node "$CHECKS/cfn/extract.js" "$ROOT/deploy-template.yml" job-environment "$values")
  mkdir -p "$1"
  (
    cd "$1" || exit 1
    env -i PATH="$STUB_PATH:$PATH" HOME="$HOME" TMPDIR="$1" AWS_STUB_DIR="$stub" AWS_REGION=eu-west-1 \
      RDS_CA_CHECKSUM_FILE="$WORK/tls/rds-global-bundle.pem.sha256" RDS_CA_BUNDLE="$1/ca.pem" \
      "${environment[@]}" "${@:3}" bash -c "$(node "$CHECKS/cfn/extract.js" "$ROOT/deploy-template.yml" buildspec-build)"
  )
}

owned_by() { # owned_by ROLE: how many tables, views, sequences and schemas ROLE owns in metrics
  psql_admin -d metrics -Atc "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relowner = '$1'::regrole AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema')
    + (SELECT count(*) FROM pg_namespace WHERE nspowner = '$1'::regrole)"
}

# The database side of a deploy, as on RDS: a master user that is NOT a superuser (CREATEROLE,
# CREATEDB, owns the database), password logins checked with SCRAM over TLS, every statement
# logged. First the previous release sets the database up its own way; then the migration job of
# this release runs twice at once, from the template's own commands, on the tarball in "S3".
check_migration_job() {
  make_tls
  "$ROOT/scripts/local-postgres.sh" start "$WORK/pg" "$(free_port)" >/dev/null
  PG_PORT=$(cat "$WORK/pg/.port")
  cat >"$WORK/pg/pg_hba.conf" <<'EOF'
local all postgres trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
EOF
  write_stack_fixtures "$PG_PORT"
  psql_admin -c "ALTER SYSTEM SET ssl = on" -c "ALTER SYSTEM SET ssl_cert_file = '$WORK/tls/server.crt'" \
    -c "ALTER SYSTEM SET ssl_key_file = '$WORK/tls/server.key'" -c "ALTER SYSTEM SET log_statement = 'all'" \
    -c "SELECT pg_reload_conf()" >/dev/null
  psql_admin -c "CREATE ROLE rds_master LOGIN CREATEROLE CREATEDB PASSWORD '$MASTER_PASSWORD'" \
    -c "CREATE DATABASE metrics OWNER rds_master" >/dev/null

  # 1. The database as the release in production left it.
  if [[ -x $PREVIOUS/deploy/ec2/migrate.sh ]]; then
    echo "previous release: its instances migrate at boot (deploy/ec2/migrate.sh), as the runtime login"
    head -n 3 "$WORK/stack.env" >"$WORK/stack-previous.env"
    as_instance env METRICSENGINE_STACK_ENV="$WORK/stack-previous.env" "$PREVIOUS/deploy/ec2/migrate.sh" >"$WORK/migrate-previous.log" 2>&1 ||
      { cat "$WORK/migrate-previous.log"; fail "the previous release's own migration failed"; }
    echo "metrics_app owned $(owned_by metrics_app) object(s) before the hand-over"
  else
    echo "previous release: migrated by its migration job"
    run_migration_job "$WORK/previous-job" >"$WORK/migrate-previous.log" 2>&1 ||
      { cat "$WORK/migrate-previous.log"; fail "the previous release's migration job failed"; }
  fi

  # 2. This release's migration job, twice at once (a deploy racing a retried deploy): they take turns.
  : >"$WORK/aws/calls.log"
  run_migration_job "$WORK/job-1" >"$WORK/job-1.log" 2>&1 &
  local first=$!
  run_migration_job "$WORK/job-2" >"$WORK/job-2.log" 2>&1 &
  local second=$!
  wait "$first" || { cat "$WORK/job-1.log"; fail "the first concurrent migration job failed"; }
  wait "$second" || { cat "$WORK/job-2.log"; fail "the second concurrent migration job failed"; }
  cat "$WORK/job-1.log"
  grep -q '^connection budget: 8 peak instances' "$WORK/job-1.log" || fail "the job did not check the connection budget"
  grep -q 'logs put-retention-policy --log-group-name /aws/rds/instance/rehearsal-db/postgresql --retention-in-days 30' "$WORK/aws/calls.log" ||
    fail "the job did not set the retention of RDS's log groups"

  local expected applied
  expected=$(grep -oE "'[0-9]{14}_[A-Za-z0-9_]+'" "$RELEASE/migrations.sql" | sort -u | wc -l)
  applied=$(psql_admin -d metrics -Atc 'SELECT count(*) FROM "__EFMigrationsHistory"')
  [[ $applied == "$expected" ]] || fail "$applied migrations recorded, the script has $expected"
  echo "migrations: $applied of $expected recorded; the two jobs took turns"

  [[ $(psql_admin -Atc "SELECT rolsuper FROM pg_roles WHERE rolname = 'rds_master'") == f ]] || fail "the master stand-in must not be a superuser"
  [[ $(owned_by metrics_app) == 0 ]] || fail "metrics_app (the runtime login) still owns $(owned_by metrics_app) object(s)"
  [[ $(owned_by metrics_owner) -gt 0 ]] || fail "metrics_owner owns nothing"
  [[ $(psql_admin -d metrics -Atc "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'query_surface') AND tableowner <> 'metrics_owner'") == 0 ]] ||
    fail "every table must belong to metrics_owner"
  [[ $(psql_admin -Atc "SELECT pg_has_role('metrics_app', 'metrics_owner', 'MEMBER')") == f ]] ||
    fail "metrics_app is still a member of metrics_owner after the hand-over"
  [[ $(psql_admin -d metrics -Atc "SELECT rolcreaterole OR rolcreatedb OR rolsuper FROM pg_roles WHERE rolname IN ('metrics_app', 'metrics_owner')" | sort -u) == f ]] ||
    fail "metrics_app and metrics_owner must have no CREATEROLE, CREATEDB or SUPERUSER"
  echo "roles: metrics_owner owns the schema; metrics_app (the API) owns nothing and is no member of the owner"

  psql_login metrics_owner "$OWNER_PASSWORD" -Atc 'SELECT 1' >/dev/null || fail "metrics_owner cannot log in with its secret"
  psql_login metrics_app "$APP_PASSWORD" -Atc 'SELECT 1' >/dev/null || fail "metrics_app cannot log in with its secret"
  psql_login metrics_query "$QUERY_PASSWORD" -Atc 'SELECT 1' >/dev/null || fail "metrics_query cannot log in with its secret"
  ! psql_login metrics_query "not-$QUERY_PASSWORD" -Atc 'SELECT 1' >/dev/null 2>&1 || fail "metrics_query logged in with a wrong password"
  [[ $(psql_login metrics_query "$QUERY_PASSWORD" -Atc 'SHOW default_transaction_read_only') == on ]] ||
    fail "metrics_query sessions must be read-only by default"
  ! psql_login metrics_query "$QUERY_PASSWORD" -c 'BEGIN READ WRITE; CREATE TABLE public.escape (x int); COMMIT' >/dev/null 2>&1 ||
    fail "metrics_query created a table in public"
  psql_login metrics_query "$QUERY_PASSWORD" -Atc 'SELECT count(*) FROM query_surface.metrics' >/dev/null ||
    fail "metrics_query cannot read query_surface.metrics"
  echo "sandbox: metrics_query logs in with its secret over TLS, is read-only, cannot create, reads query_surface.metrics"

  local password
  for password in "$APP_PASSWORD" "$QUERY_PASSWORD" "$OWNER_PASSWORD"; do
    ! grep -qF "$password" "$WORK"/pg/server.log "$WORK"/pg/log/* 2>/dev/null || fail "a role's plain password appears in the server log"
  done
  # shellcheck disable=SC2016 # a literal $ in the verifier's format
  grep -qF 'SCRAM-SHA-256$4096:' "$WORK/pg/server.log" || fail "expected the server log to show SCRAM verifiers being set"
  echo "server log (log_statement=all): only SCRAM verifiers, no plain password"

  # The restore drill's check mode (deploy/ci/restore-drill.sh) on the migrated database.
  run_migration_job "$WORK/job-check" "$WORK/aws" MIGRATE_MODE=check >"$WORK/job-check.log" 2>&1 ||
    { cat "$WORK/job-check.log"; fail "the migration job's check mode failed"; }
  grep -q 'pending for this release: none' "$WORK/job-check.log" || { cat "$WORK/job-check.log"; fail "check mode: migrations pending"; }
  grep -q 'serves the runtime and sandbox logins' "$WORK/job-check.log" || { cat "$WORK/job-check.log"; fail "check mode: the logins were not checked"; }
  grep 'restore drill:' "$WORK/job-check.log"

  # A tampered tarball is refused before anything runs.
  cp -R "$WORK/aws" "$WORK/aws-tampered"
  printf 'x' >>"$WORK/aws-tampered/s3/artifacts/releases/rehearsal/metricsengine.tar.gz"
  ! run_migration_job "$WORK/job-tampered" "$WORK/aws-tampered" >"$WORK/job-tampered.log" 2>&1 ||
    { cat "$WORK/job-tampered.log"; fail "the migration job ran a tarball that does not match SHA256SUMS"; }
  ! grep -q 'db-setup:' "$WORK/job-tampered.log" || fail "the migration job touched the database with a tampered tarball"
  echo "a tarball that does not match SHA256SUMS: the job stops before db-setup ($(grep -m1 'FAILED\|sha256sum' "$WORK/job-tampered.log"))"
}

check_ec2_config() {
  # shellcheck source=/dev/null
  . "$WORK/state.env"
  as_instance "$RELEASE/deploy/ec2/fetch-config.sh" "$WORK/api.env"
  sed -E 's/Password=[A-Za-z0-9]+/Password=***/' "$WORK/api.env"
  [[ $(stat -c %a "$WORK/api.env") == 600 ]] || fail "the environment file must be mode 0600"
  grep -qx 'ASPNETCORE_ENVIRONMENT="Testing"' "$WORK/api.env" || fail "env/ parameters must become variables"
  grep -qx 'Auth__ClientIds__0="rehearsal-client"' "$WORK/api.env" || fail "a StringList parameter must become NAME__0..n"
  grep -qx 'Auth__ClientIds__1="rotation-client"' "$WORK/api.env" || fail "a StringList parameter must become NAME__0..n"
  ! grep -q must-not-leak "$WORK/api.env" || fail "another stack's parameter leaked in"
  grep -q "^ConnectionStrings__Metrics=\"Host=127.0.0.1;Port=$PG_PORT;Database=metrics;Username=metrics_app;Password=$APP_PASSWORD;SSL Mode=VerifyFull;Root Certificate=$WORK/tls/ca.crt;Maximum Pool Size=10\"$" "$WORK/api.env" ||
    fail "ConnectionStrings__Metrics is not built from the runtime login's secret with its pool ceiling"
  grep -q "^ConnectionStrings__MetricsQuery=\".*;Username=metrics_query;Password=$QUERY_PASSWORD;.*;Maximum Pool Size=10\"$" "$WORK/api.env" ||
    fail "ConnectionStrings__MetricsQuery is not built from the query secret with its pool ceiling"

  cp -R "$WORK/aws" "$WORK/aws-canary"
  jq '.Parameters += [{Name: "/metricsengine/rehearsal/env/Serilog__Evil", Type: "String", Value: "$(reboot)"}]' \
    "$WORK/aws/ssm.json" >"$WORK/aws-canary/ssm.json"
  expect_failure "a parameter value with shell syntax" env AWS_STUB_DIR="$WORK/aws-canary" PATH="$CHECKS/aws-stub:$PATH" \
    METRICSENGINE_STACK_ENV="$WORK/stack.env" "$RELEASE/deploy/ec2/fetch-config.sh" "$WORK/canary.env"

  openssl genrsa -out "$WORK/issuer-key.pem" 2048 2>/dev/null
  start_background fake-issuer python3 "$CHECKS/fake-issuer.py" "$ISSUER_PORT" \
    "$(openssl rsa -in "$WORK/issuer-key.pem" -noout -modulus | cut -d= -f2)" 2>"$WORK/fake-issuer.log"
  wait_for_http "http://127.0.0.1:$ISSUER_PORT/pool/.well-known/jwks.json" 10 || fail "the stand-in user pool did not start"

  # The API as systemd starts it: only the environment file, plus the unit's own settings.
  API_PORT=$(free_port)
  echo "API_PORT=$API_PORT" >>"$WORK/state.env"
  start_api api "$RELEASE" "$API_PORT" "$WORK/api.log"
  wait_for_http "http://127.0.0.1:$API_PORT/health/ready" 90 ||
    { tail -n 40 "$WORK/api.log"; curl -sS "http://127.0.0.1:$API_PORT/health/ready" || true; return 1; }
  local health
  health=$(curl -fsS "http://127.0.0.1:$API_PORT/health")
  [[ $(jq -c . <<<"$health") == '{"application":true,"database":true}' ]] || fail "/health answered $health"
  echo "API on :$API_PORT as metrics_app over verified TLS, from the instance's environment file: /health/ready 200, /health $health"
}

# start_api NAME RELEASE_DIR PORT LOG: the API of RELEASE_DIR from the instance's environment file.
start_api() {
  local name=$1 release=$2 port=$3 log=$4
  (
    set -a
    # shellcheck source=/dev/null
    . "$WORK/api.env"
    set +a
    export ASPNETCORE_URLS=http://127.0.0.1:$port
    # Each stand-in instance serves its Prometheus metrics on a port of its own: on one machine
    # the environment file's port (9464, as on every real instance) can be held only once.
    Telemetry__PrometheusPort=$(free_port)
    export Telemetry__PrometheusPort
    cd "$release/app" || exit 1
    start_background "$name" dotnet "$release/app/MetricsEngine.Web.dll" --contentRoot "$release/app" >"$log" 2>&1
  )
}

# A Cognito-shaped access token signed by the stand-in pool's key (deploy/checks/fake-issuer.py).
mint_token() { # mint_token SCOPES
  local b64url='basenc --base64url --wrap=0' header payload now
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","kid":"rehearsal","typ":"JWT"}' | $b64url | tr -d '=')
  payload=$(jq -nc --arg iss "http://127.0.0.1:$ISSUER_PORT/pool" --arg scope "$1" --argjson now "$now" \
    '{iss: $iss, sub: "rehearsal-operator", token_use: "access", client_id: "rehearsal-client", scope: $scope,
      username: "rehearsal-operator", iat: $now, nbf: $now, exp: ($now + 600), jti: "rehearsal-\($now)"}' | $b64url | tr -d '=')
  printf '%s.%s.%s' "$header" "$payload" \
    "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$WORK/issuer-key.pem" | $b64url | tr -d '=')"
}

# The API really works as the runtime login: writes through the API, an import (temporary tables
# and COPY), reads; and that login cannot change the schema.
check_runtime_role() {
  # shellcheck source=/dev/null
  . "$WORK/state.env"
  local token base=http://127.0.0.1:$API_PORT status id
  token=$(mint_token 'api/metrics.read api/metrics.write api/metrics.admin')
  status=$(curl -sS -o "$WORK/created.json" -D "$WORK/created-headers" -w '%{http_code}' -X POST "$base/metrics" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"title": "Rehearsal parts flagged", "is_editable": true, "layouts": [{"breakpoint": "lg", "x": 0, "y": 0, "w": 4, "h": 3, "static": false}],
         "query_generation_prompt": "Total parts flagged in June 2025"}')
  [[ $status == 201 ]] || { cat "$WORK/created.json"; fail "POST /metrics as metrics_app answered $status"; }
  id=$(jq -r .id "$WORK/created.json")
  echo "REHEARSAL_METRIC=$id" >>"$WORK/state.env"
  status=$(curl -sS -o "$WORK/record.json" -w '%{http_code}' -X POST "$base/metrics/$id/metric-records" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"date": "2025-06-02", "parts_flagged": 4}')
  [[ $status == 201 ]] || { cat "$WORK/record.json"; fail "POST /metrics/{id}/metric-records as metrics_app answered $status"; }
  status=$(curl -sS -o "$WORK/read.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$base/metrics/$id")
  [[ $status == 200 ]] || { cat "$WORK/read.json"; fail "GET /metrics/{id} as metrics_app answered $status"; }
  echo "through the API as metrics_app: created metric $id (201), added a record (201), read it back (200)"

  # The import verb, as an operator runs it on an instance: temporary staging tables and COPY.
  (
    set -a
    # shellcheck source=/dev/null
    . "$WORK/api.env"
    set +a
    export Import__QueriesFile=$ROOT/data/queries.csv Import__MetricsFile=$ROOT/data/metrics.json Import__RecordsFile=$ROOT/data/metric_records.json
    cd "$RELEASE/app" && dotnet MetricsEngine.Web.dll import
  ) >"$WORK/import.log" 2>&1 || { tail -n 30 "$WORK/import.log"; fail "the import verb failed as metrics_app"; }
  local records
  records=$(psql_admin -d metrics -Atc 'SELECT count(*) FROM metric_records')
  ((records > 1)) || fail "the import stored no records"
  echo "import verb as metrics_app (COPY into a temporary table): $records records in metric_records"

  local ddl
  for ddl in 'CREATE TABLE public.intruder (x int)' 'ALTER TABLE metric_records ADD COLUMN intruder int' \
    'DROP TABLE metric_records' 'TRUNCATE metric_records' 'CREATE SCHEMA intruder' \
    "DELETE FROM \"__EFMigrationsHistory\""; do
    ! psql_login metrics_app "$APP_PASSWORD" -c "$ddl" >/dev/null 2>&1 || fail "metrics_app may run: $ddl"
  done
  # A GRANT without the right is a warning, not an error: what counts is that nothing was granted.
  psql_login metrics_app "$APP_PASSWORD" -c 'GRANT SELECT ON metric_records TO PUBLIC' >/dev/null 2>&1 || true
  [[ $(psql_admin -d metrics -Atc "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'PUBLIC' AND table_name = 'metric_records'") == 0 ]] ||
    fail "metrics_app granted PUBLIC access to metric_records"
  echo "metrics_app is refused DDL, TRUNCATE, grants and writes to the migration history"
}

# Expand/contract: the release in production must keep working on the schema this release's
# migrations produce, because the migration job runs before the instance refresh and a rollback
# runs the old code on the new schema (docs/deploy.md, "Migrations").
check_previous_on_new_schema() {
  # shellcheck source=/dev/null
  . "$WORK/state.env"
  python3 "$CHECKS/expand-contract.py" "$PREVIOUS/migrations.sql" "$RELEASE/migrations.sql" "$ROOT/deploy/db/contract-migrations.txt"
  { cat "$RELEASE/migrations.sql"; cat <<'EOF'
DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '29991231000000_Canary') THEN
    ALTER TABLE metric_records DROP COLUMN parts_flagged;
    ALTER TABLE metric_definitions ADD owner text NOT NULL;
    END IF;
END $EF$;
EOF
  } >"$WORK/contracting.sql"
  expect_failure "a migration that drops a column and adds a NOT NULL one without a default" \
    python3 "$CHECKS/expand-contract.py" "$PREVIOUS/migrations.sql" "$WORK/contracting.sql" "$ROOT/deploy/db/contract-migrations.txt"
  local port base token status
  port=$(free_port)
  base=http://127.0.0.1:$port
  start_api previous-api "$PREVIOUS" "$port" "$WORK/previous-api.log"
  wait_for_http "$base/health/ready" 90 ||
    { tail -n 40 "$WORK/previous-api.log"; curl -sS "$base/health/ready" || true; fail "the previous release is not ready on the migrated schema"; }
  token=$(mint_token 'api/metrics.read api/metrics.write')
  status=$(curl -sS -o "$WORK/previous-read.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$base/metrics/$REHEARSAL_METRIC")
  [[ $status == 200 ]] || { cat "$WORK/previous-read.json"; fail "the previous release could not read a metric this release created ($status)"; }
  status=$(curl -sS -o "$WORK/previous-record.json" -w '%{http_code}' -X POST "$base/metrics/$REHEARSAL_METRIC/metric-records" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"date": "2025-06-03", "parts_flagged": 2}')
  [[ $status == 201 ]] || { cat "$WORK/previous-record.json"; fail "the previous release could not write on the migrated schema ($status)"; }
  echo "previous release ($(cut -c1-12 "$WORK/previous-commit")) on the migrated schema as metrics_app: ready, reads (200) and writes (201)"
  kill "$(cat "$WORK/pids/previous-api.pid")"
}

# The image's HEALTHCHECK command, run against the API the way Docker would inside the container.
check_docker_healthcheck() {
  # shellcheck source=/dev/null
  . "$WORK/state.env"
  local command
  mapfile -t command < <(node "$CHECKS/dockerfile-policy.js" Dockerfile --healthcheck-command | jq -r '.[]')
  printf 'HEALTHCHECK CMD:'; printf ' %q' "${command[@]}"; echo
  env -i PATH=/usr/bin:/bin ASPNETCORE_HTTP_PORTS="$API_PORT" timeout 5 "${command[@]}" ||
    fail "the HEALTHCHECK command failed against a live API"
  echo "healthy against the live API on :$API_PORT"
  expect_failure "HEALTHCHECK against a port nothing listens on" \
    env -i PATH=/usr/bin:/bin ASPNETCORE_HTTP_PORTS="$(free_port)" timeout 5 "${command[@]}"
}

# nginx terminating TLS (NGINX_MODE=tls) in front of the API; the client connects from 127.0.0.2,
# so its address differs from nginx's own 127.0.0.1.
check_nginx_tls() {
  # shellcheck source=/dev/null
  . "$WORK/state.env"
  local http_port https_port cert=$WORK/tls.crt
  http_port=$(free_port)
  https_port=$(free_port)
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' -keyout "$WORK/tls.key" -out "$cert" 2>/dev/null
  NGINX_MODE=tls TLS_CERT=$cert TLS_KEY=$WORK/tls.key LISTEN_ADDRESS=127.0.0.1 HTTP_PORT=$http_port \
    HTTPS_PORT=$https_port UPSTREAM=127.0.0.1:$API_PORT start_nginx tls
  local base=https://127.0.0.1:$https_port
  local client=(curl -sS --max-time 20 --interface 127.0.0.2 --cacert "$cert")

  # HTTPS, verified against the certificate; /health through the proxy.
  local body status
  body=$("${client[@]}" -D "$WORK/tls-headers" "$base/health")
  [[ $(jq -c . <<<"$body") == '{"application":true,"database":true}' ]] || fail "/health through nginx answered $body"
  grep -qi '^strict-transport-security: max-age=' "$WORK/tls-headers" || fail "no HSTS header over HTTPS"
  for path in /health/ready /health/live; do
    status=$("${client[@]}" -o /dev/null -w '%{http_code}' "$base$path")
    [[ $status == 200 ]] || fail "$path through nginx answered $status"
  done
  echo "HTTPS (certificate verified): /health, /health/ready, /health/live answer 200; HSTS set"

  # Plain HTTP redirects to the same path over HTTPS.
  local redirect
  redirect=$(curl -sS --interface 127.0.0.2 -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/metrics/abc?start_date=2025-06-01")
  [[ $redirect == "301 https://127.0.0.1:$https_port/metrics/abc?start_date=2025-06-01" ]] || fail "HTTP answered '$redirect'"
  echo "HTTP: $redirect"

  # The API sees the caller's scheme and address, not nginx's, and not what the caller claims.
  local id
  id=$(new_uuid)
  status=$("${client[@]}" -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.66' \
    -H 'X-Forwarded-Proto: http' "$base/metrics/$id")
  [[ $status == 401 ]] || fail "GET /metrics/$id without a token answered $status"
  expect_api_saw "/metrics/$id" https 127.0.0.2

  # Bodies: 1 MB passes to the API, one byte more is refused by nginx with a problem document.
  local at_limit over_limit
  at_limit=$(new_uuid)
  over_limit=$(new_uuid)
  head -c 1048576 /dev/zero >"$WORK/1mb.bin"
  head -c 1048577 /dev/zero >"$WORK/1mb-plus-1.bin"
  status=$("${client[@]}" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$WORK/1mb.bin" "$base/metrics/$at_limit")
  [[ $status != 413 ]] || fail "a body of exactly 1 MB was refused"
  api_log_for "/metrics/$at_limit" >/dev/null
  local at_limit_status=$status
  status=$("${client[@]}" -o "$WORK/413.json" -D "$WORK/413-headers" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "@$WORK/1mb-plus-1.bin" "$base/metrics/$over_limit")
  [[ $status == 413 ]] || fail "a body of 1 MB + 1 byte answered $status"
  grep -qi '^content-type: application/problem+json' "$WORK/413-headers" || fail "the 413 is not application/problem+json"
  [[ $(jq -r .status "$WORK/413.json") == 413 ]] || fail "the 413 body is not a problem document: $(cat "$WORK/413.json")"
  sleep 1
  ! jq -Rc --arg path "/metrics/$over_limit" 'fromjson? | select(.RequestPath? == $path)' "$WORK/api.log" | grep -q . ||
    fail "the oversized body reached the API"
  echo "body limit: 1048576 bytes reach the API (it answered $at_limit_status), 1048577 get 413 problem+json from nginx"

  # JSON is compressed for clients that accept it.
  "${client[@]}" -H 'Accept-Encoding: gzip' -D "$WORK/gzip-headers" -o "$WORK/openapi.json.gz" "$base/openapi/v1.json"
  grep -qi '^content-encoding: gzip' "$WORK/gzip-headers" || fail "JSON was not gzip-compressed"
  gunzip -c "$WORK/openapi.json.gz" | jq -e .openapi >/dev/null || fail "the compressed body is not the OpenAPI JSON"
  echo "gzip: /openapi/v1.json $(stat -c %s "$WORK/openapi.json.gz") bytes compressed"
}

# nginx behind a load balancer (NGINX_MODE=alb, the EC2 setup): 127.0.0.3 plays the ALB.
check_nginx_alb() {
  # shellcheck source=/dev/null
  . "$WORK/state.env"
  local port
  port=$(free_port)
  echo "ALB_NGINX_PORT=$port" >>"$WORK/state.env"
  NGINX_MODE=alb TRUSTED_PROXIES=127.0.0.3/32 LISTEN_ADDRESS=127.0.0.1 HTTP_PORT=$port \
    UPSTREAM=127.0.0.1:$API_PORT start_nginx alb
  local base=http://127.0.0.1:$port id status

  # The ALB's target health check.
  status=$(curl -sS --interface 127.0.0.3 -o /dev/null -w '%{http_code}' "$base/health/ready")
  [[ $status == 200 ]] || fail "the load balancer's health check got $status"

  # Through the ALB: the caller it names, and HTTPS.
  id=$(new_uuid)
  curl -sS --interface 127.0.0.3 -D "$WORK/alb-headers" -o /dev/null -H 'X-Forwarded-For: 203.0.113.7' \
    -H 'X-Forwarded-Proto: https' "$base/metrics/$id"
  expect_api_saw "/metrics/$id" https 203.0.113.7
  grep -qi '^strict-transport-security:' "$WORK/alb-headers" || fail "no HSTS for a request the ALB received over HTTPS"

  # A caller's own X-Forwarded-For entry in front of the ALB's is not believed.
  id=$(new_uuid)
  curl -sS --interface 127.0.0.3 -o /dev/null -H 'X-Forwarded-For: 198.51.100.1, 203.0.113.8' \
    -H 'X-Forwarded-Proto: https' "$base/metrics/$id"
  expect_api_saw "/metrics/$id" https 203.0.113.8

  # Anyone but the ALB: its own address and nginx's own scheme.
  id=$(new_uuid)
  curl -sS --interface 127.0.0.2 -D "$WORK/direct-headers" -o /dev/null -H 'X-Forwarded-For: 203.0.113.9' \
    -H 'X-Forwarded-Proto: https' "$base/metrics/$id"
  expect_api_saw "/metrics/$id" http 127.0.0.2
  ! grep -qi '^strict-transport-security:' "$WORK/direct-headers" || fail "HSTS sent over plain HTTP"

  [[ -f $WORK/1mb-plus-1.bin ]] || head -c 1048577 /dev/zero >"$WORK/1mb-plus-1.bin"
  status=$(curl -sS --interface 127.0.0.3 -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' \
    --data-binary "@$WORK/1mb-plus-1.bin" "$base/metrics/$(new_uuid)")
  [[ $status == 413 ]] || fail "alb mode: an oversized body answered $status"

  # The dashboard is the API's: nginx passes it through with the API's caching and CSP.
  status=$(curl -sS --interface 127.0.0.3 -D "$WORK/dashboard-headers" -o "$WORK/dashboard.html" -w '%{http_code}' \
    -H 'X-Forwarded-Proto: https' "$base/dashboard/")
  api_log_for /dashboard/ >/dev/null || fail "/dashboard/ did not reach the API"
  if [[ $status != 200 ]] || ! grep -q '<title>MetricsEngine dashboard</title>' "$WORK/dashboard.html"; then
    fail "alb mode: /dashboard/ answered $status without the page"
  fi
  grep -qi "^content-security-policy: default-src 'none'; script-src 'self';" "$WORK/dashboard-headers" ||
    fail "alb mode: /dashboard/ came without the page's Content-Security-Policy"
  grep -qi '^cache-control: no-cache' "$WORK/dashboard-headers" || fail "alb mode: /dashboard/ must be revalidated (no-cache)"
  echo "alb mode: forwarded headers believed from the load balancer only; 413 above 1 MB; health check 200; /dashboard/ served with its CSP"
}

# What Kestrel would refuse with an empty body, nginx answers first as problem+json (in front of
# the real API): a malformed request line, a request line over 8 KB, headers over the limit, an
# HTTP version it does not speak.
check_nginx_problems() {
  # shellcheck source=/dev/null
  . "$WORK/state.env"
  local answers
  answers=$(python3 - "$ALB_NGINX_PORT" <<'EOF'
import json, socket, sys
port = int(sys.argv[1])
cases = {
    "malformed request line": b"GARBAGE\r\n\r\n",
    "request line over 8 KB": b"GET /metrics/" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "header over 8 KB": b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n",
    "headers over 32 KB": b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: %s\r\n" % (i, b"a" * 7000) for i in range(6)) + b"\r\n",
    "HTTP/2.0 request line": b"GET /health HTTP/2.0\r\nHost: x\r\n\r\n",
    "bad percent-encoding": b"GET /metrics/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
}
for name, request in cases.items():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(request)
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)}
    print(json.dumps({"case": name, "status": int(lines[0].split()[1]), "content_type": headers.get("content-type"),
                      "body": body.decode("utf-8", "replace")}))
EOF
)
  local line case status expected
  while IFS= read -r line; do
    case=$(jq -r .case <<<"$line")
    status=$(jq -r .status <<<"$line")
    case $case in
      'malformed request line' | 'bad percent-encoding') expected=400 ;;
      'request line over 8 KB') expected=414 ;;
      'header over 8 KB' | 'headers over 32 KB') expected=431 ;;
      'HTTP/2.0 request line') expected=505 ;;
    esac
    [[ $status == "$expected" ]] || fail "$case: nginx answered $status, expected $expected"
    [[ $(jq -r .content_type <<<"$line") == application/problem+json ]] || fail "$case: not application/problem+json ($line)"
    jq -e --argjson s "$expected" '.body | fromjson | .status == $s and (.type | startswith("https://")) and (.title | length > 0) and (.detail | length > 0) and (.traceId | test("^[0-9a-f]{32}$"))' \
      <<<"$line" >/dev/null || fail "$case: the body is not a problem document like the API's: $(jq -r .body <<<"$line")"
    echo "$case: $status $(jq -r '.body | fromjson | .title' <<<"$line")"
  done <<<"$answers"
  [[ $(wc -l <<<"$answers") == 6 ]] || fail "expected six answers, got: $answers"
}

# Proxy timeouts against an upstream that takes longer than the API's query timeout, event streams
# that must arrive as they are written, and nginx's answer when the upstream is down.
check_nginx_upstream() {
  local upstream port query_timeout
  upstream=$(free_port)
  port=$(free_port)
  query_timeout=$(jq -r '.Query.TimeoutSeconds' src/Web/appsettings.json)
  start_background slow-upstream python3 "$CHECKS/slow-upstream.py" "$upstream" 2>"$WORK/slow-upstream.log"
  wait_for_http "http://127.0.0.1:$upstream/" 10
  NGINX_MODE=alb TRUSTED_PROXIES=127.0.0.3/32 LISTEN_ADDRESS=127.0.0.1 HTTP_PORT=$port \
    UPSTREAM=127.0.0.1:$upstream start_nginx upstream

  local seconds=$((query_timeout + 2)) result
  result=$(curl -sS --max-time 60 -o "$WORK/slow.json" -w '%{http_code} %{time_total}' "http://127.0.0.1:$port/slow?seconds=$seconds")
  [[ ${result%% *} == 200 ]] || fail "a ${seconds}s answer through nginx ended with ${result%% *} after ${result#* }s"
  echo "an answer taking ${seconds}s (query timeout ${query_timeout}s + 2) came through: $result"

  # Event streams: three events written one second apart reach the client one second apart, the
  # first at once, uncompressed although the client accepts gzip.
  local path
  for path in /metrics/0193c0de-0000-7000-8000-000000000001/events '/metrics/events?id=a&id=b'; do
    result=$(python3 "$CHECKS/sse-client.py" "http://127.0.0.1:$port$path")
    echo "$path: $result"
    events_arrive_unbuffered "$result" || fail "$path: the events did not arrive as they were written"
  done
  # Canary: a configuration that compresses event streams holds them back, and the check sees it.
  local dir=$WORK/nginx-upstream
  sed -i 's|gzip_types |gzip_types text/event-stream |; s|gzip_min_length 1024|gzip_min_length 1|' "$dir/metricsengine/http.conf"
  sed -i 's|^    gzip off;|    gzip on;|' "$dir/metricsengine/locations.conf"
  nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -s reload
  sleep 1
  result=$(python3 "$CHECKS/sse-client.py" "http://127.0.0.1:$port/metrics/x/events")
  expect_failure "an event stream compressed by nginx ($result)" events_arrive_unbuffered "$result"

  kill "$(cat "$WORK/pids/slow-upstream.pid")"
  sleep 0.5
  result=$(curl -sS -o "$WORK/down.json" -D "$WORK/down-headers" -w '%{http_code}' "http://127.0.0.1:$port/health")
  [[ $result == 503 ]] || fail "with the API down nginx answered $result"
  grep -qi '^content-type: application/problem+json' "$WORK/down-headers" || fail "the 503 is not application/problem+json"
  echo "upstream down: 503 $(jq -c '{title, status}' "$WORK/down.json")"
}

events_arrive_unbuffered() { # the sse-client.py report: 3 events, the first within 0.8 s, then ~1 s apart
  jq -e '.status == 200 and .content_type == "text/event-stream" and .content_encoding == null and .events == 3
    and .arrivals[0] < 0.8 and (.arrivals[1] - .arrivals[0]) > 0.7 and (.arrivals[2] - .arrivals[1]) > 0.7' <<<"$1" >/dev/null
}

# health-watch.sh as the timer runs it, with the AWS CLI and systemctl stand-ins recording what it
# does: LIVE_URL etc. point at the rehearsal's servers.
run_health_watch() {
  env PATH="$STUB_PATH:$PATH" AWS_STUB_DIR="$WORK/aws" METRICSENGINE_STACK_ENV="$WORK/stack.env" \
    BOOTED_FLAG="$WORK/booted" STATE_DIR="$WORK/health-state" "$@" "$RELEASE/deploy/ec2/health-watch.sh"
}

# The liveness watch: a dead API is restarted after 90 s and its instance given up after 3 min;
# the engine's pool-wait histogram becomes two counts in CloudWatch.
check_liveness_watch() {
  # shellcheck source=/dev/null
  . "$WORK/state.env"
  local dead upstream run
  dead=http://127.0.0.1:$(free_port)
  : >"$WORK/aws/calls.log"
  rm -rf "$WORK/health-state" "$WORK/booted"
  run_health_watch env LIVE_URL="$dead/health/live" HEALTH_URL="$dead/health" PROMETHEUS_URL="$dead/metrics"
  [[ ! -s $WORK/aws/calls.log ]] || fail "the watch acted before bootstrap finished: $(cat "$WORK/aws/calls.log")"
  touch "$WORK/booted"
  for run in 1 2 3 4 5 6; do
    run_health_watch env LIVE_URL="$dead/health/live" HEALTH_URL="$dead/health" PROMETHEUS_URL="$dead/metrics" >>"$WORK/health-watch.log"
    case $run in
      2) ! grep -q 'systemctl restart metricsengine' "$WORK/aws/calls.log" || fail "restarted after only 2 failed checks" ;;
      3) grep -q 'systemctl restart metricsengine.service' "$WORK/aws/calls.log" || fail "not restarted after 3 failed checks" ;;
      5) [[ $(grep -c 'systemctl restart metricsengine' "$WORK/aws/calls.log") == 1 ]] || fail "restarted more than once"
         ! grep -q 'set-instance-health' "$WORK/aws/calls.log" || fail "given up after only 5 failed checks" ;;
      6) grep -q 'autoscaling set-instance-health --instance-id i-0123456789abcdef0 --health-status Unhealthy' "$WORK/aws/calls.log" ||
           fail "not marked unhealthy after 6 failed checks" ;;
    esac
  done
  ! grep -q 'DatabaseReachable' "$WORK/aws/calls.log" || fail "reported the database while the API was not even live"
  cat "$WORK/health-watch.log"
  echo "dead API: restarted once after 3 failed checks (90 s), instance marked Unhealthy after 6 (3 min)"

  # The histogram metricsengine_query_admission_wait_seconds, as the API's Prometheus port shows it.
  upstream=$(free_port)
  cat >"$WORK/prometheus.txt" <<'EOF'
# TYPE metricsengine_query_admission_wait_seconds histogram
metricsengine_query_admission_wait_seconds_bucket{le="0.1"} 40
metricsengine_query_admission_wait_seconds_bucket{le="0.5"} 45
metricsengine_query_admission_wait_seconds_bucket{le="1"} 48
metricsengine_query_admission_wait_seconds_bucket{le="5"} 50
metricsengine_query_admission_wait_seconds_bucket{le="+Inf"} 50
metricsengine_query_admission_wait_seconds_sum 12.5
metricsengine_query_admission_wait_seconds_count 50
EOF
  start_background prometheus-stand-in python3 "$CHECKS/slow-upstream.py" "$upstream" "$WORK/prometheus.txt" 2>/dev/null
  wait_for_http "http://127.0.0.1:$upstream/" 10
  rm -rf "$WORK/health-state"
  : >"$WORK/aws/calls.log"
  local live=(LIVE_URL="http://127.0.0.1:$API_PORT/health/live" HEALTH_URL="http://127.0.0.1:$API_PORT/health" PROMETHEUS_URL="http://127.0.0.1:$upstream/prometheus")
  run_health_watch env "${live[@]}"
  sed -i 's/le="1"} 48/le="1"} 68/; s/le="5"} 50/le="5"} 75/; s/le="+Inf"} 50/le="+Inf"} 77/; s/_count 50/_count 77/' "$WORK/prometheus.txt"
  run_health_watch env "${live[@]}"
  local published
  published=$(grep 'cloudwatch put-metric-data' "$WORK/aws/calls.log" | tail -n 1 | sed 's/.*--metric-data //')
  echo "published: $published"
  jq -e 'map({(.MetricName): .Value}) | add | .DatabaseReachable == 1 and .QueryPoolWaits == 27 and .QueryPoolSlowWaits == 7' <<<"$published" >/dev/null ||
    fail "expected DatabaseReachable 1, QueryPoolWaits 27 and QueryPoolSlowWaits 7 (27 waits, 20 of them within 1 s)"
  ! grep -q 'systemctl\|set-instance-health' "$WORK/aws/calls.log" || fail "the watch acted on a live API"
  echo "live API: no action; DatabaseReachable 1; pool waits 27 since the last run, 7 of them over 1 s"
}

# A database outage with the API running behind nginx: liveness stays 200, readiness 503, an
# instance that boots during the outage starts and serves liveness, the watch reports the outage
# and does nothing else, and both APIs become ready by themselves (same processes) when the
# database returns.
check_db_outage() {
  # shellcheck source=/dev/null
  . "$WORK/state.env"
  local nginx=http://127.0.0.1:$ALB_NGINX_PORT status pid second_port second_pid
  pid=$(cat "$WORK/pids/api.pid")
  [[ $(curl -sS -o /dev/null -w '%{http_code}' "$nginx/health/ready") == 200 ]] || fail "not ready before the outage"

  "$ROOT/scripts/local-postgres.sh" stop "$WORK/pg"
  echo "database stopped"
  status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$nginx/health/live")
  [[ $status == 200 ]] || fail "/health/live through nginx answered $status during the outage"
  status=$(curl -sS -o "$WORK/outage-ready.json" -D "$WORK/outage-ready-headers" -w '%{http_code}' --max-time 15 "$nginx/health/ready")
  [[ $status == 503 ]] || fail "/health/ready answered $status during the outage"
  grep -qi '^content-type: application/problem+json' "$WORK/outage-ready-headers" || fail "the unready answer is not a problem document"
  echo "during the outage, through nginx: /health/live 200, /health/ready 503 ($(jq -r .detail "$WORK/outage-ready.json"))"

  # An instance that boots now (a scale-out, a replacement) starts and serves liveness.
  second_port=$(free_port)
  start_api api-during-outage "$RELEASE" "$second_port" "$WORK/api-during-outage.log"
  second_pid=$(cat "$WORK/pids/api-during-outage.pid")
  wait_for_http "http://127.0.0.1:$second_port/health/live" 90 ||
    { tail -n 30 "$WORK/api-during-outage.log"; fail "an API started during the outage does not serve /health/live"; }
  status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 15 "http://127.0.0.1:$second_port/health/ready")
  [[ $status == 503 ]] || fail "an API started during the outage answered /health/ready $status"
  echo "an API started during the outage: /health/live 200, /health/ready 503"

  rm -rf "$WORK/health-state" && touch "$WORK/booted"
  : >"$WORK/aws/calls.log"
  run_health_watch env LIVE_URL="$nginx/health/live" HEALTH_URL="http://127.0.0.1:$API_PORT/health" PROMETHEUS_URL="http://127.0.0.1:1/metrics"
  grep -q '"MetricName":"DatabaseReachable","Value":0' "$WORK/aws/calls.log" || fail "the watch did not report the database unreachable"
  ! grep -q 'systemctl\|set-instance-health' "$WORK/aws/calls.log" || fail "the watch restarted or gave up an instance because of the database"
  echo "the liveness watch reports DatabaseReachable 0 and leaves the instance alone"

  "$ROOT/scripts/local-postgres.sh" start "$WORK/pg" "$PG_PORT" >/dev/null
  echo "database started again"
  wait_for_http "$nginx/health/ready" 60 || fail "the API did not become ready by itself within 60 s of the database's return"
  wait_for_http "http://127.0.0.1:$second_port/health/ready" 60 || fail "the API started during the outage did not become ready within 60 s"
  { kill -0 "$pid" && [[ $(cat "$WORK/pids/api.pid") == "$pid" ]]; } || fail "the API was restarted"
  kill -0 "$second_pid" || fail "the API started during the outage has exited"
  local token
  token=$(mint_token 'api/metrics.read')
  status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$nginx/metrics/$REHEARSAL_METRIC")
  [[ $status == 200 ]] || fail "after the outage GET /metrics/{id} answered $status"
  echo "database back: both APIs ready again without a restart (pids $pid, $second_pid); GET /metrics/{id} 200"
  kill "$second_pid"
}

# The first minutes of an instance, from the template's user data and the release's
# bootstrap.sh, with the instance's programs replaced by stand-ins (instance-stub/, aws-stub/):
# a boot failure is signalled at once from the EXIT trap, on the console too, and only after the
# CloudWatch agent was started.
check_boot_failure() {
  local boot=$WORK/boot values
  mkdir -p "$boot"
  values='{"AWS::StackName": "rehearsal", "AWS::Region": "eu-west-1", "ArtifactBucket": "artifacts", "ReleaseVersion": "rehearsal"}'
  node "$CHECKS/cfn/extract.js" deploy-template.yml user-data "$values" >"$boot/user-data.sh"

  # 1. A tarball that does not match the release's SHA256SUMS.
  boot_stub "$boot/tampered"
  printf 'x' >>"$boot/tampered/aws/s3/artifacts/releases/rehearsal/metricsengine.tar.gz"
  run_user_data "$boot/tampered" "$boot/user-data.sh" && fail "the user data ran a tampered tarball"
  boot_failure_reported "$boot/tampered" || fail "a tampered tarball was not reported as a failed boot"
  [[ ! -e $boot/tampered/root/releases/rehearsal/deploy ]] || fail "the tampered tarball was unpacked"
  echo "tampered tarball: refused before unpacking; $(grep -m1 'FAILED' "$boot/tampered/console")"

  # 2. A good tarball, but the RDS CA bundle does not match the checksum in the release.
  boot_stub "$boot/bad-ca"
  run_user_data "$boot/bad-ca" "$boot/user-data.sh" && fail "the boot went on with an RDS CA bundle that does not match its checksum"
  boot_failure_reported "$boot/bad-ca" || fail "a bad RDS CA bundle was not reported as a failed boot"
  grep -q 'rds-ca: .* has SHA-256' "$boot/bad-ca/console" || fail "the console does not say why the bundle was refused"
  [[ ! -e $boot/bad-ca/ca.pem ]] || fail "the refused bundle was kept"
  echo "RDS CA bundle not matching the release's checksum: $(grep -m1 'rds-ca:' "$boot/bad-ca/console" | cut -c1-120)..."

  # Canary: the same user data without its EXIT trap reports nothing.
  sed '/^trap boot_failed EXIT$/d' "$boot/user-data.sh" >"$boot/user-data-no-trap.sh"
  boot_stub "$boot/canary"
  printf 'x' >>"$boot/canary/aws/s3/artifacts/releases/rehearsal/metricsengine.tar.gz"
  run_user_data "$boot/canary" "$boot/user-data-no-trap.sh" || true
  expect_failure "user data without its EXIT trap" boot_failure_reported "$boot/canary"
}

boot_stub() { # boot_stub DIR: an instance's world: S3 with the release, the stand-ins' log
  mkdir -p "$1/aws/s3/artifacts/releases/rehearsal" "$1/root"
  cp "$WORK/release/metricsengine.tar.gz" "$WORK/release/SHA256SUMS" "$1/aws/s3/artifacts/releases/rehearsal/"
  printf 'not the RDS bundle\n' >"$1/aws/rds-ca.pem"
  : >"$1/aws/calls.log"
}

run_user_data() { # run_user_data DIR SCRIPT
  env -i PATH="$STUB_PATH:$PATH" HOME="$HOME" AWS_STUB_DIR="$1/aws" METRICSENGINE_ROOT="$1/root" \
    METRICSENGINE_BOOT_LOG="$1/bootstrap.log" METRICSENGINE_CONSOLE="$1/console" \
    METRICSENGINE_AGENT_CONFIG="$1/agent.json" METRICSENGINE_RDS_CA_BUNDLE="$1/ca.pem" \
    timeout 120 bash "$2" >"$1/stdout" 2>&1
}

boot_failure_reported() { # boot_failure_reported DIR: signalled at once, on the console, agent first
  local calls=$1/aws/calls.log agent download
  grep -q '^cfn-signal -e 1 --stack rehearsal --resource AutoScalingGroup' "$calls" || { echo "no cfn-signal -e 1"; return 1; }
  grep -q 'autoscaling complete-lifecycle-action .*--lifecycle-action-result ABANDON' "$calls" || { echo "no ABANDON on the launch hook"; return 1; }
  grep -q 'cloudwatch put-metric-data --namespace MetricsEngine --metric-name BootFailures' "$calls" || { echo "no BootFailures metric"; return 1; }
  grep -q 'FAILED' "$1/console" || { echo "nothing on the console"; return 1; }
  agent=$(grep -n '^amazon-cloudwatch-agent-ctl -a fetch-config' "$calls" | head -n 1 | cut -d: -f1)
  download=$(grep -n '^s3 cp .*metricsengine.tar.gz' "$calls" | head -n 1 | cut -d: -f1)
  if [[ -z $agent || -z $download ]] || ((agent > download)); then
    echo "the agent did not start before the release download"
    return 1
  fi
}
