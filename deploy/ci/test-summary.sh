#!/usr/bin/env bash
# Markdown summary of the TRX files dotnet test wrote, for $GITHUB_STEP_SUMMARY.
#
#   deploy/ci/test-summary.sh TestResults >>"$GITHUB_STEP_SUMMARY"
set -euo pipefail
dir=${1:?usage: $0 RESULTS_DIR}
shopt -s nullglob
files=("$dir"/*.trx)
echo "### Tests"
if [[ ${#files[@]} -eq 0 ]]; then
  echo "No test results were written (the build or the test host failed; see the log)."
  exit 0
fi
echo "| results | total | passed | failed | skipped |"
echo "|---|---|---|---|---|"
for file in "${files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$file" | head -n 1)
  attr() { sed -nE "s/.* $1=\"([0-9]+)\".*/\\1/p" <<<"$counters"; }
  total=$(attr total)
  passed=$(attr passed)
  failed=$(attr failed)
  skipped=$(attr notExecuted)
  echo "| $(basename "$file") | ${total:-?} | ${passed:-?} | ${failed:-?} | ${skipped:-0} |"
done
failures=$(grep -ho '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "${files[@]}" | sed -nE 's/.*testName="([^"]*)".*/- \1/p' || true)
if [[ -n $failures ]]; then
  echo
  echo "Failed:"
  echo "$failures"
fi
