#!/usr/bin/env bash
# Rehearsal checks of deploy/checks/run-all.sh: the release is built, the database is set up the
# way an instance does it, the API runs from the configuration an instance writes, and nginx runs
# with the repository's configuration in front of it. Sourced by run-all.sh; shared state lives in
# $WORK (release/, pg/, api.log, state/), later checks depend on earlier ones.

RELEASE=$WORK/release-root
STACK_PREFIX=/metricsengine/rehearsal

# deploy/package.sh, as the deploy workflow runs it; unpacked like an instance's release dir.
check_package() {
  "$ROOT/deploy/package.sh" "$WORK/release" rehearsal
  (cd "$WORK/release" && sha256sum -c SHA256SUMS)
  mkdir -p "$RELEASE"
  tar -xzf "$WORK/release/metricsengine.tar.gz" -C "$RELEASE"
  local required
  for required in app/MetricsEngine.Web.dll migrations.sql VERSION deploy/ec2/bootstrap.sh deploy/ec2/migrate.sh \
    deploy/ec2/db-setup.sh deploy/ec2/fetch-config.sh deploy/ec2/metricsengine.service \
    deploy/ec2/metricsengine-config.service deploy/nginx/render.sh deploy/sql/roles.sql deploy/sql/query-role.sql docs/deploy.md; do
    [[ -e $RELEASE/$required ]] || fail "the release lacks $required"
  done
  for required in deploy/ec2/bootstrap.sh deploy/ec2/migrate.sh deploy/ec2/db-setup.sh deploy/ec2/fetch-config.sh deploy/nginx/render.sh; do
    [[ -x $RELEASE/$required ]] || fail "$required is not executable in the release"
  done
  grep -q 'CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory"' "$RELEASE/migrations.sql" || fail "migrations.sql is not the idempotent script"
  [[ $(cat "$RELEASE/VERSION") == rehearsal ]] || fail "VERSION is not the release name"
  echo "release: $(du -h "$WORK/release/metricsengine.tar.gz" | cut -f1), $(grep -oE "'[0-9]{14}_[A-Za-z0-9_]+'" "$RELEASE/migrations.sql" | sort -u | wc -l) migration(s)"
}

# The stack as the instance scripts see it: stack.env, SSM parameters and secrets (through the AWS
# CLI stand-in in aws-stub/), pointing at the rehearsal's PostgreSQL.
write_stack_fixtures() {
  local port=$1 stub=$WORK/aws
  # A stand-in user pool (discovery + JWKS) the API can fetch keys from, as from Cognito.
  ISSUER_PORT=$(free_port)
  mkdir -p "$stub/s3/artifacts/releases/rehearsal"
  cp "$RELEASE/migrations.sql" "$stub/s3/artifacts/releases/rehearsal/migrations.sql"
  cat >"$WORK/stack.env" <<EOF
AWS_REGION=eu-west-1
PARAMETER_PREFIX=$STACK_PREFIX
RDS_CA_BUNDLE=$WORK/no-ca-bundle-needed.pem
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
    {Name: "\($p)/db/host", Type: "String", Value: "127.0.0.1"},
    {Name: "\($p)/db/port", Type: "String", Value: $port},
    {Name: "\($p)/db/name", Type: "String", Value: "metrics"},
    {Name: "\($p)/db/sslmode", Type: "String", Value: "disable"},
    {Name: "\($p)/db/master-secret-arn", Type: "String", Value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-master"},
    {Name: "\($p)/db/app-secret-arn", Type: "String", Value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app"},
    {Name: "\($p)/db/query-secret-arn", Type: "String", Value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:query"},
    {Name: "\($p)/nginx/trusted-proxies", Type: "String", Value: "127.0.0.3/32"},
    {Name: "/metricsengine/another-stack/env/Auth__UserPoolId", Type: "String", Value: "must-not-leak"}
  ]}' >"$stub/ssm.json"
  # Random letters and digits, like Secrets Manager's GenerateSecretString without punctuation.
  APP_PASSWORD=$(openssl rand -hex 20)
  QUERY_PASSWORD=$(openssl rand -hex 20)
  MASTER_PASSWORD=$(openssl rand -hex 20)
  jq -n --arg app "$APP_PASSWORD" --arg query "$QUERY_PASSWORD" --arg master "$MASTER_PASSWORD" '{
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-master": {username: "rds_master", password: $master},
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app": {username: "metrics_app", password: $app},
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:query": {username: "metrics_query", password: $query}
  }' >"$stub/secrets.json"
  printf 'APP_PASSWORD=%s\nQUERY_PASSWORD=%s\nMASTER_PASSWORD=%s\nPG_PORT=%s\nISSUER_PORT=%s\n' \
    "$APP_PASSWORD" "$QUERY_PASSWORD" "$MASTER_PASSWORD" "$port" "$ISSUER_PORT" >"$WORK/state.env"
}

as_instance() {
  env PATH="$CHECKS/aws-stub:$PATH" AWS_STUB_DIR="$WORK/aws" METRICSENGINE_STACK_ENV="$WORK/stack.env" "$@"
}

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
psql_login() { # psql_login USER PASSWORD ARGS...: a password login, as the API makes it
  local user=$1 password=$2
  shift 2
  PGPASSWORD=$password psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$user" -d metrics "$@"
}

# The database side of a deploy, as on RDS: a master user that is NOT a superuser (CREATEROLE,
# CREATEDB, owns the database), password logins checked with SCRAM, every statement logged.
check_migrations() {
  "$ROOT/scripts/local-postgres.sh" start "$WORK/pg" "$(free_port)" >/dev/null
  PG_PORT=$(cat "$WORK/pg/.port")
  cat >"$WORK/pg/pg_hba.conf" <<'EOF'
local all postgres trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
EOF
  write_stack_fixtures "$PG_PORT"
  psql_admin -c "CREATE ROLE rds_master LOGIN CREATEROLE CREATEDB PASSWORD '$MASTER_PASSWORD'" \
    -c "CREATE DATABASE metrics OWNER rds_master" \
    -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null

  # Two instances booting at once, each applying the release's script: they take turns.
  as_instance "$RELEASE/deploy/ec2/migrate.sh" >"$WORK/migrate-1.log" 2>&1 &
  local first=$!
  as_instance "$RELEASE/deploy/ec2/migrate.sh" >"$WORK/migrate-2.log" 2>&1 &
  local second=$!
  wait "$first" || { cat "$WORK/migrate-1.log"; fail "the first concurrent migrate.sh failed"; }
  wait "$second" || { cat "$WORK/migrate-2.log"; fail "the second concurrent migrate.sh failed"; }
  cat "$WORK/migrate-1.log" "$WORK/migrate-2.log"
  # The deploy workflow's way: the next release's script, fetched from S3 by URI.
  as_instance "$RELEASE/deploy/ec2/migrate.sh" s3://artifacts/releases/rehearsal/migrations.sql

  local expected applied
  expected=$(grep -oE "'[0-9]{14}_[A-Za-z0-9_]+'" "$RELEASE/migrations.sql" | sort -u | wc -l)
  applied=$(psql_admin -d metrics -Atc 'SELECT count(*) FROM "__EFMigrationsHistory"')
  [[ $applied == "$expected" ]] || fail "$applied migrations recorded, the script has $expected"
  echo "migrations: $applied of $expected recorded after three runs (two concurrent)"

  [[ $(psql_admin -Atc "SELECT rolsuper FROM pg_roles WHERE rolname = 'rds_master'") == f ]] || fail "the master stand-in must not be a superuser"
  [[ $(psql_admin -d metrics -Atc "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'query_surface') AND tableowner <> 'metrics_app'") == 0 ]] ||
    fail "every table must belong to metrics_app (the API's role), not the master user"
  [[ $(psql_admin -d metrics -Atc "SELECT rolcreaterole OR rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = 'metrics_app'") == f ]] ||
    fail "metrics_app must have no CREATEROLE, CREATEDB or SUPERUSER"

  psql_login metrics_app "$APP_PASSWORD" -Atc 'SELECT 1' >/dev/null || fail "metrics_app cannot log in with its secret"
  psql_login metrics_query "$QUERY_PASSWORD" -Atc 'SELECT 1' >/dev/null || fail "metrics_query cannot log in with its secret"
  ! psql_login metrics_query "not-$QUERY_PASSWORD" -Atc 'SELECT 1' >/dev/null 2>&1 || fail "metrics_query logged in with a wrong password"
  [[ $(psql_login metrics_query "$QUERY_PASSWORD" -Atc 'SHOW default_transaction_read_only') == on ]] ||
    fail "metrics_query sessions must be read-only by default"
  ! psql_login metrics_query "$QUERY_PASSWORD" -c 'BEGIN READ WRITE; CREATE TABLE public.escape (x int); COMMIT' >/dev/null 2>&1 ||
    fail "metrics_query created a table in public"
  echo "roles: metrics_app owns the schema; metrics_query logs in with its secret (SCRAM), is read-only and cannot create"
  if [[ $(psql_admin -d metrics -Atc "SELECT to_regclass('query_surface.metrics') IS NOT NULL AND has_table_privilege('metrics_query', 'query_surface.metrics', 'SELECT')") == t ]]; then
    psql_login metrics_query "$QUERY_PASSWORD" -Atc 'SELECT count(*) FROM query_surface.metrics' >/dev/null ||
      fail "metrics_query cannot read query_surface.metrics"
    echo "sandbox (SPEC 6): metrics_query reads query_surface.metrics"
  else
    echo "sandbox (SPEC 6): the migrations do not grant metrics_query SELECT on query_surface.metrics yet"
  fi

  local password
  for password in "$APP_PASSWORD" "$QUERY_PASSWORD"; do
    ! grep -qF "$password" "$WORK"/pg/server.log "$WORK"/pg/log/* 2>/dev/null || fail "a role's plain password appears in the server log"
  done
  # shellcheck disable=SC2016 # a literal $ in the verifier's format
  grep -qF 'SCRAM-SHA-256$4096:' "$WORK/pg/server.log" || fail "expected the server log to show SCRAM verifiers being set"
  echo "server log (log_statement=all): only SCRAM verifiers, no plain password"
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
  grep -q "^ConnectionStrings__Metrics=\"Host=127.0.0.1;Port=$PG_PORT;Database=metrics;Username=metrics_app;Password=$APP_PASSWORD;SSL Mode=Disable\"$" "$WORK/api.env" ||
    fail "ConnectionStrings__Metrics is not built from the app secret"
  grep -q "^ConnectionStrings__MetricsQuery=\".*;Username=metrics_query;Password=$QUERY_PASSWORD;" "$WORK/api.env" ||
    fail "ConnectionStrings__MetricsQuery is not built from the query secret"

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
  (
    set -a
    # shellcheck source=/dev/null
    . "$WORK/api.env"
    set +a
    export ASPNETCORE_URLS=http://127.0.0.1:$API_PORT
    cd "$RELEASE/app" || exit 1
    start_background api dotnet "$RELEASE/app/MetricsEngine.Web.dll" --contentRoot "$RELEASE/app" >"$WORK/api.log" 2>&1
  )
  wait_for_http "http://127.0.0.1:$API_PORT/health/ready" 90 ||
    { tail -n 40 "$WORK/api.log"; curl -sS "http://127.0.0.1:$API_PORT/health/ready" || true; return 1; }
  local health
  health=$(curl -fsS "http://127.0.0.1:$API_PORT/health")
  [[ $(jq -c . <<<"$health") == '{"application":true,"database":true}' ]] || fail "/health answered $health"
  echo "API on :$API_PORT from the instance's environment file: /health/ready 200, /health $health"
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

  status=$(curl -sS --interface 127.0.0.3 -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' \
    --data-binary "@$WORK/1mb-plus-1.bin" "$base/metrics/$(new_uuid)")
  [[ $status == 413 ]] || fail "alb mode: an oversized body answered $status"
  echo "alb mode: forwarded headers believed from the load balancer only; 413 above 1 MB; health check 200"
}

# Proxy timeouts against an upstream that takes longer than the API's query timeout, and nginx's
# answer when the upstream is down.
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

  kill "$(cat "$WORK/pids/slow-upstream.pid")"
  sleep 0.5
  result=$(curl -sS -o "$WORK/down.json" -D "$WORK/down-headers" -w '%{http_code}' "http://127.0.0.1:$port/health")
  [[ $result == 503 ]] || fail "with the API down nginx answered $result"
  grep -qi '^content-type: application/problem+json' "$WORK/down-headers" || fail "the 503 is not application/problem+json"
  echo "upstream down: 503 $(jq -c '{title, status}' "$WORK/down.json")"
}
