-- The sandbox role of SPEC §6 (metrics_query), run as the RDS master user AFTER the migrations by
-- deploy/db/db-setup.sh (psql variables: query_user, query_verifier, lock_key, and
-- query_connection_limit, the sandbox's share of deploy/db/connection-budget.sh). Idempotent.
--
-- The migrations own what the role may read (USAGE on query_surface, SELECT on
-- query_surface.metrics); this gives it the password the API's ConnectionStrings__MetricsQuery
-- carries (from Secrets Manager), and makes every session of the role read-only by default as a
-- second line behind the API's own read-only transactions.
\set ON_ERROR_STOP on
SELECT pg_advisory_lock(:lock_key) \g /dev/null

ALTER ROLE :"query_user" WITH LOGIN PASSWORD :'query_verifier';
ALTER ROLE :"query_user" SET default_transaction_read_only = on;
ALTER ROLE :"query_user" SET search_path = query_surface;
ALTER ROLE :"query_user" SET statement_timeout = '60s';

SELECT pg_advisory_unlock(:lock_key) \g /dev/null
