#!/usr/bin/env bash
# The RDS certificate authorities, downloaded and checked against the checksum kept in the
# repository (deploy/common/rds-global-bundle.pem.sha256). Sourced by deploy/ec2/bootstrap.sh and
# deploy/db/migrate.sh, never run.
#
#   fetch_rds_ca DEST     downloads RDS_CA_URL to DEST, or fails (and leaves nothing at DEST)
#                         when its SHA-256 is not the one in the repository
#
# A changed bundle (AWS adds a CA now and then) fails closed: the deploy workflow checks the live
# bundle against the same file before it deploys, and docs/deploy.md ("RDS certificate bundle")
# says how to review and update it.

RDS_CA_URL=${RDS_CA_URL:-https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem}
RDS_CA_CHECKSUM_FILE=${RDS_CA_CHECKSUM_FILE:-$(dirname "${BASH_SOURCE[0]}")/rds-global-bundle.pem.sha256}

fetch_rds_ca() {
  local dest=$1 expected actual tmp
  expected=$(awk 'NF == 2 && $2 == "rds-global-bundle.pem" { print $1 }' "$RDS_CA_CHECKSUM_FILE")
  [[ $expected =~ ^[0-9a-f]{64}$ ]] || { echo "rds-ca: no SHA-256 for rds-global-bundle.pem in $RDS_CA_CHECKSUM_FILE" >&2; return 1; }
  mkdir -p "$(dirname "$dest")"
  tmp=$(mktemp "$dest.XXXXXX")
  if ! curl -fsSL --retry 5 --max-time 60 -o "$tmp" "$RDS_CA_URL"; then
    rm -f "$tmp"
    echo "rds-ca: cannot download $RDS_CA_URL" >&2
    return 1
  fi
  actual=$(sha256sum "$tmp" | cut -d' ' -f1)
  if [[ $actual != "$expected" ]]; then
    rm -f "$tmp"
    echo "rds-ca: $RDS_CA_URL has SHA-256 $actual, the repository expects $expected (docs/deploy.md, \"RDS certificate bundle\")" >&2
    return 1
  fi
  chmod 0644 "$tmp"
  mv -f "$tmp" "$dest"
}
