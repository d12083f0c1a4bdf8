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
