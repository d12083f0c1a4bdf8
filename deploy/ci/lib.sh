#!/usr/bin/env bash
# Shared by the deploy workflow's scripts in deploy/ci/. Sourced, never run.
# Everything arrives through the environment (the workflow's env:), never through ${{ }} in code.
shopt -s inherit_errexit

die() { echo "::error::$(basename "$0"): $*" >&2; exit 1; }

require_env() {
  local name
  for name in "$@"; do [[ -n ${!name:-} ]] || die "$name is not set (repository variable or secret)"; done
}

stack_exists() {
  aws cloudformation describe-stacks --stack-name "$STACK_NAME" >/dev/null 2>&1
}

# stack_output KEY: one output of the application stack.
stack_output() {
  local value
  value=$(aws cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue | [0]" --output text) || die "cannot describe $STACK_NAME"
  [[ -n $value && $value != None ]] || die "stack $STACK_NAME has no output $1"
  printf '%s' "$value"
}

# run_migration_job [ENV_OVERRIDE...]: starts the stack's migration job (output MigrationJobName),
# waits for it, prints its log and fails unless it succeeded. Overrides are CodeBuild
# NAME=VALUE environment overrides (the restore drill's check mode); the deploy passes none.
run_migration_job() {
  local project build status group stream deadline override
  local -a overrides=()
  project=$(stack_output MigrationJobName)
  for override in "$@"; do
    overrides+=("name=${override%%=*},value=${override#*=},type=PLAINTEXT")
  done
  if ((${#overrides[@]} > 0)); then
    build=$(aws codebuild start-build --project-name "$project" --environment-variables-override "${overrides[@]}" --query build.id --output text)
  else
    build=$(aws codebuild start-build --project-name "$project" --query build.id --output text)
  fi
  echo "Migration job $build"
  deadline=$((SECONDS + 2400))
  while :; do
    status=$(aws codebuild batch-get-builds --ids "$build" --query 'builds[0].buildStatus' --output text)
    [[ $status == IN_PROGRESS ]] || break
    ((SECONDS < deadline)) || die "the migration job $build is still running after 40 minutes"
    sleep 10
  done
  read -r group stream < <(aws codebuild batch-get-builds --ids "$build" --query 'builds[0].logs.[groupName, streamName]' --output text)
  if [[ -n ${stream:-} && $stream != None ]]; then
    aws logs get-log-events --log-group-name "$group" --log-stream-name "$stream" --start-from-head \
      --query 'events[].message' --output text | tr '\t' '\n' || echo "(the job's log could not be read: $group / $stream)"
  fi
  [[ $status == SUCCEEDED ]] || die "the migration job ended $status (docs/deploy.md, \"The migration job\")"
}
