#!/usr/bin/env bash
# Runs the migration job (the stack's CodeBuild project, output MigrationJobName) and waits for it:
# it migrates the database to the release the stack names, from inside the VPC, with the only role
# that may read the master and schema owner secrets (docs/deploy.md, "The migration job"). Started
# with no overrides: its commands and inputs are the stack's. deploy.yml runs it after the stack
# update (the instances still run the previous release, which every migration must keep working)
# and before the instance refresh; on the first deploy, the new instances become ready once it ran.
#
# Environment: STACK_NAME
set -euo pipefail
# shellcheck source=deploy/ci/lib.sh
. "$(dirname "$0")/lib.sh"
require_env STACK_NAME

# shellcheck disable=SC2119 # no overrides: the deploy runs the job exactly as the stack defines it
run_migration_job
