#!/usr/bin/env bash
# Builds the dashboard (src/Dashboard) into src/Dashboard/dist, doing only what changed:
#
#   scripts/build-dashboard.sh        npm ci when node_modules is missing or package*.json changed, then
#                                     npm run build when a source changed since the last build (or dist/ is gone)
#   scripts/build-dashboard.sh deps   only the npm ci part (before `npm test`)
#
# What node_modules was installed from and what dist/ was built from are kept as hashes inside
# node_modules/ (never in dist/, which is served and published). One build at a time: ./run.sh,
# `dotnet publish` and the browser tests' build may all ask at once, so this script holds a lock on
# itself. Progress goes to stderr.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT/src/Dashboard"

fail() { echo "build-dashboard: $*" >&2; exit 1; }

exec 9<"$ROOT/scripts/build-dashboard.sh"
flock 9

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  fail "Node 20 and npm are needed to build the dashboard: apt-get install nodejs npm"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || fail "Node 20 or newer is needed to build the dashboard (found $(node --version))."

DEPS_STAMP=node_modules/.metricsengine-deps.sha256
BUILD_STAMP=node_modules/.metricsengine-build.sha256

deps_hash() { cat package.json package-lock.json | sha256sum | cut -d' ' -f1; }

# Every file the build reads, by relative path and content (not node_modules, not dist, not the
# Markdown beside them: a changed README does not change the page).
sources_hash() {
  {
    find . -type f -not -path './node_modules/*' -not -path './dist/*' -not -name '*.md' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
}

deps=$(deps_hash)
if [[ -d node_modules && "$(cat "$DEPS_STAMP" 2>/dev/null)" == "$deps" ]]; then
  :
else
  echo "Dashboard: installing its npm packages from package-lock.json..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2 || fail "npm ci failed (see above)."
  echo "$deps" >"$DEPS_STAMP"
fi
[[ ${1:-} == deps ]] && exit 0

sources=$(sources_hash)
if [[ -f dist/index.html && "$(cat "$BUILD_STAMP" 2>/dev/null)" == "$sources" ]]; then
  echo "Dashboard: up to date (no source changed since the last build)." >&2
else
  echo "Dashboard: building src/Dashboard/dist because its sources changed..." >&2
  rm -f "$BUILD_STAMP"
  npm run --silent build >&2 || fail "npm run build failed (see above)."
  echo "$sources" >"$BUILD_STAMP"
fi
