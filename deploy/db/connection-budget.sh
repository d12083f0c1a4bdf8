#!/usr/bin/env bash
# The database connection budget of a stack (docs/deploy.md, "Connection budget"):
#
#   peak instances      = 2 x MaxSize              an instance refresh may run a new instance
#                                                  beside each old one (MaxHealthyPercentage 200)
#   per instance        = Database__MaxPoolSize    the engine's pool
#                       + Query__MaxConcurrent + 1 the sandbox pool (metrics_query): its slots
#                                                  plus one kept for the readiness probe
#                       + 1                        the live-metrics LISTEN connection
#   budget              = peak instances x per instance + reserved <= max_connections
#   reserved            = RDS's superuser slots, the migration job, an operator's psql
#
#   deploy/db/connection-budget.sh MAX_CONNECTIONS    checks MAX_INSTANCES, APP_POOL_SIZE,
#                                                     QUERY_POOL_SIZE [RESERVED_CONNECTIONS]
#                                                     from the environment; exit 1 when over
#
# The migration job runs it against the live server's max_connections before it migrates (a
# deploy that would exhaust the server stops there); deploy/checks runs it on the template's
# defaults. query_connection_limit is the sandbox role's share, passed to query-role.sql.
set -euo pipefail

max_connections=${1:?usage: $0 MAX_CONNECTIONS}
reserved=${RESERVED_CONNECTIONS:-15}
for name in MAX_INSTANCES APP_POOL_SIZE QUERY_POOL_SIZE; do
  [[ ${!name:-} =~ ^[0-9]+$ ]] || { echo "connection-budget: $name must be a whole number (got '${!name:-}')" >&2; exit 2; }
done
[[ $max_connections =~ ^[0-9]+$ && $reserved =~ ^[0-9]+$ ]] || { echo "connection-budget: max_connections and RESERVED_CONNECTIONS must be whole numbers" >&2; exit 2; }

peak_instances=$((2 * MAX_INSTANCES))
per_instance=$((APP_POOL_SIZE + QUERY_POOL_SIZE + 1 + 1))
needed=$((peak_instances * per_instance + reserved))
query_connection_limit=$((peak_instances * (QUERY_POOL_SIZE + 1)))

printf 'connection budget: %d peak instances (2 x MaxSize %d) x (pool %d + sandbox %d + readiness 1 + listen 1) + %d reserved = %d of max_connections %d\n' \
  "$peak_instances" "$MAX_INSTANCES" "$APP_POOL_SIZE" "$QUERY_POOL_SIZE" "$reserved" "$needed" "$max_connections"
echo "query_connection_limit=$query_connection_limit"
if ((needed > max_connections)); then
  echo "connection-budget: the fleet could open $needed connections but the server allows $max_connections: lower MaxSize, DbPoolSize or QueryMaxConcurrent, or raise DbMaxConnections (a larger DbInstanceClass)" >&2
  exit 1
fi
