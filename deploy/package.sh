#!/usr/bin/env bash
# Builds a release: the published API, the migration script and the instance scripts, in one
# tarball that the EC2 instances download from S3 (releases/VERSION/ in the artifact bucket).
#
#   deploy/package.sh OUT_DIR VERSION
#
# OUT_DIR/metricsengine.tar.gz   app/ (dotnet publish -c Release), migrations.sql,
#                                deploy/{common,db,ec2,nginx,sql}, docs/deploy.md, VERSION
# OUT_DIR/migrations.sql         the idempotent script from the EF Core migrations, also on its own so
#                                the deploy can apply it before any instance runs the release
# OUT_DIR/SHA256SUMS             checksums of both; the instances and the migration job refuse a
#                                tarball that does not match it
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: $0 OUT_DIR VERSION}
version=${2:?usage: $0 OUT_DIR VERSION}
[[ $version =~ ^[A-Za-z0-9._-]{1,100}$ ]] || { echo "package: VERSION must match [A-Za-z0-9._-]{1,100}" >&2; exit 2; }

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

dotnet publish "$root/src/Web/MetricsEngine.Web.csproj" -c Release -o "$stage/app" \
  -p:UseAppHost=false --nologo -v quiet
# The script needs no database: it is generated from the migrations compiled into the build.
dotnet "$stage/app/MetricsEngine.Web.dll" migrate --script --script-output "$stage/migrations.sql"
grep -q '__EFMigrationsHistory' "$stage/migrations.sql"

mkdir -p "$stage/deploy" "$stage/docs"
cp -R "$root/deploy/common" "$root/deploy/db" "$root/deploy/ec2" "$root/deploy/nginx" "$root/deploy/sql" "$stage/deploy/"
cp "$root/docs/deploy.md" "$stage/docs/"
printf '%s\n' "$version" >"$stage/VERSION"

# Reproducible-ish and owner-neutral: instances extract it as root.
chmod -R u=rwX,go=rX "$stage"
chmod 0755 "$stage"/deploy/ec2/*.sh "$stage"/deploy/db/*.sh "$stage/deploy/nginx/render.sh"
tar --sort=name --owner=0 --group=0 --numeric-owner -czf "$out/metricsengine.tar.gz" -C "$stage" .
cp "$stage/migrations.sql" "$out/migrations.sql"
(cd "$out" && sha256sum metricsengine.tar.gz migrations.sql >SHA256SUMS)
echo "package: $out/metricsengine.tar.gz ($(du -h "$out/metricsengine.tar.gz" | cut -f1), release $version)" >&2
