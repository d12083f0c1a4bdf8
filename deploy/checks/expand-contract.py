"""Expand first, contract later: the migrations a release adds must keep the previous release
working, because the migration job runs before the new instances and a rollback runs the old code
on the new schema (docs/deploy.md, "Migrations"). deploy/checks/run-all.sh only.

    python3 expand-contract.py PREVIOUS_MIGRATIONS_SQL NEW_MIGRATIONS_SQL ALLOWED_FILE

Reads the idempotent scripts ('migrate --script') of both releases, takes the migrations only the
new one has, and refuses statements that break a release which does not know them: dropping or
renaming a table, column, view or schema, changing a column's type, making a column NOT NULL, or
adding a NOT NULL column without a default (the old code's INSERTs would fail). A contracting
migration is allowed once the release before it stopped using what it removes: list its id in
ALLOWED_FILE with that release (deploy/db/contract-migrations.txt).
"""
import re
import sys

CONTRACTING = [
    (r"\bDROP\s+(TABLE|VIEW|MATERIALIZED\s+VIEW|SCHEMA|SEQUENCE|TYPE|FUNCTION)\b", "drops an object"),
    (r"\bDROP\s+COLUMN\b", "drops a column"),
    (r"\bRENAME\s+(COLUMN\b|TO\b)", "renames something"),
    (r"\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b", "changes a column's type"),
    (r"\bALTER\s+COLUMN\s+\S+\s+SET\s+NOT\s+NULL\b", "makes a column NOT NULL"),
]
ADD_NOT_NULL = re.compile(r"\bADD\s+(?:COLUMN\s+)?(\"?\w+\"?)\s+[^,;]*?\bNOT\s+NULL\b(?![^,;]*\bDEFAULT\b)", re.I)


def migrations(path):
    text = open(path, encoding="utf-8").read()
    found = {}
    for block in re.findall(r"DO \$EF\$(.*?)END \$EF\$;", text, re.S):
        match = re.search(r"\"(?:MigrationId|migration_id)\" = '([^']+)'", block)
        if match:
            found.setdefault(match.group(1), []).append(block)
    return found


previous, new, allowed_file = sys.argv[1:4]
old_ids = set(migrations(previous))
added = {k: v for k, v in migrations(new).items() if k not in old_ids}
allowed = {}
for line in open(allowed_file, encoding="utf-8"):
    line = line.strip()
    if line and not line.startswith("#"):
        allowed[line.split()[0]] = line

problems = []
for migration_id, blocks in sorted(added.items()):
    body = "\n".join(blocks)
    # The history insert itself is not a schema change.
    body = re.sub(r"INSERT INTO \"__EFMigrationsHistory\".*?;", "", body, flags=re.S)
    body = re.sub(r"IF NOT EXISTS\(SELECT 1 FROM \"__EFMigrationsHistory\"[^)]*\) THEN", "", body)
    found = [reason for pattern, reason in CONTRACTING if re.search(pattern, body, re.I)]
    found += [f"adds NOT NULL column {m.group(1)} without a default" for m in ADD_NOT_NULL.finditer(body)]
    if found and migration_id not in allowed:
        problems.append(f"{migration_id}: {', '.join(sorted(set(found)))}")
    elif found:
        print(f"{migration_id}: contracting, allowed ({allowed[migration_id]})")

print(f"expand/contract: {len(added)} migration(s) new since the previous release: {', '.join(sorted(added)) or 'none'}")
for problem in problems:
    print(f"CONTRACTING {problem} - the previous release would break; split it (expand now, contract in a later release) "
          f"or list it in {allowed_file} once no release in service uses what it removes")
sys.exit(1 if problems else 0)
