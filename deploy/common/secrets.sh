#!/usr/bin/env bash
# Reading the stack's JSON secrets ({"username", "password"}) from Secrets Manager. Sourced by
# deploy/ec2/lib.sh (the instances: the runtime and sandbox logins) and deploy/db/migrate.sh (the
# migration job: every login), never run.

# secret_field SECRET_ID FIELD: one field of a JSON secret; fails when either is missing.
secret_field() {
  local json
  json=$(aws secretsmanager get-secret-value --secret-id "$1" --output json) ||
    { echo "cannot read secret $1" >&2; return 1; }
  jq -er --arg field "$2" '.SecretString | fromjson | .[$field]' <<<"$json" ||
    { echo "secret $1 has no field '$2'" >&2; return 1; }
}
