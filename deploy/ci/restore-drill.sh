#!/usr/bin/env bash
# Restore drill (docs/deploy.md, "Restore drill"): proves the backups restore into a database the
# release can use, and measures how long that takes. Run it by hand, monthly and after changing
# the database, with an operator's credentials (not the deploy role's: it creates and deletes RDS
# instances).
#
#   deploy/ci/restore-drill.sh [--time 2026-12-01T10:00:00Z] [--keep]
#
# 1. point-in-time restore of the stack's database (the latest restorable time, or --time) into a
#    new single-AZ instance <stack>-drill-<UTC time>, in the stack's subnets, security group and
#    parameter group, tagged metricsengine:drill
# 2. the migration job in check mode against it (MIGRATE_MODE=check, deploy/db/migrate.sh): the
#    migrations the release expects are recorded (or listed as pending), the runtime login reads
#    metrics and records, the sandbox role reads its view. Nothing is changed.
# 3. the drill instance is deleted, without a final snapshot (--keep leaves it for inspection)
#
# Environment: STACK_NAME AWS_REGION
set -euo pipefail
# shellcheck source=deploy/ci/lib.sh
. "$(dirname "$0")/lib.sh"
require_env STACK_NAME AWS_REGION

restore_time='' keep=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --time) restore_time=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) die "usage: $0 [--time ISO-8601-UTC] [--keep]" ;;
  esac
done

source_db=$(stack_output DatabaseInstanceId)
drill=$(printf '%s-drill-%s' "$STACK_NAME" "$(date -u +%Y%m%d%H%M)" | tr '[:upper:]' '[:lower:]' | cut -c1-63)
if [[ -n $restore_time ]]; then when=(--restore-time "$restore_time"); else when=(--use-latest-restorable-time); fi

started=$SECONDS
echo "Restoring $source_db (${restore_time:-latest restorable time}) into $drill"
aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier "$source_db" \
  --target-db-instance-identifier "$drill" "${when[@]}" \
  --db-subnet-group-name "$(stack_output DatabaseSubnetGroupName)" \
  --vpc-security-group-ids "$(stack_output DatabaseSecurityGroupId)" \
  --db-parameter-group-name "$(stack_output DatabaseParameterGroupName)" \
  --no-multi-az --no-publicly-accessible --no-deletion-protection \
  --tags "Key=metricsengine:drill,Value=$STACK_NAME" >/dev/null

cleanup() {
  if ((keep)); then
    echo "Kept $drill; delete it with: aws rds delete-db-instance --db-instance-identifier $drill --skip-final-snapshot --delete-automated-backups"
  else
    aws rds delete-db-instance --db-instance-identifier "$drill" --skip-final-snapshot --delete-automated-backups >/dev/null &&
      echo "Deleting $drill"
  fi
}
trap cleanup EXIT

# Restores often outlast the CLI waiter's 30 minutes.
until [[ $(aws rds describe-db-instances --db-instance-identifier "$drill" --query 'DBInstances[0].DBInstanceStatus' --output text) == available ]]; do
  ((SECONDS - started < 7200)) || die "$drill is not available after 2 hours"
  sleep 30
done
restored_minutes=$(((SECONDS - started) / 60))
endpoint=$(aws rds describe-db-instances --db-instance-identifier "$drill" --query 'DBInstances[0].Endpoint.Address' --output text)
echo "$drill available after $restored_minutes minute(s): $endpoint"

run_migration_job "PGHOST=$endpoint" MIGRATE_MODE=check DB_INSTANCE_ID=
echo "Restore drill passed: restored in $restored_minutes minute(s), the release's logins work on the copy."
