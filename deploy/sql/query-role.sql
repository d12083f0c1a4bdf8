-- The sandbox role (metrics_query) that runs stored SQL (README: "Running stored SQL safely"), run
-- as the RDS master user AFTER the migrations by deploy/db/db-setup.sh (psql variables:
-- query_user, query_verifier, lock_key, and query_connection_limit, the sandbox's share of
-- deploy/db/connection-budget.sh). Idempotent.
--
-- The migrations own what the role may read (USAGE on query_surface, SELECT on
-- query_surface.metrics); this gives it the password the API's ConnectionStrings__MetricsQuery
-- carries (from Secrets Manager), and the role-level limits the schema owner may not set on RDS:
--
--   CONNECTION LIMIT  query_connection_limit, default 24; deploy/db/connection-budget.sh computes
--                     it as 2 x MaxSize x (Query__MaxConcurrent + 1): every instance the Auto
--                     Scaling group may run during an instance refresh (twice MaxSize at worst),
--                     each with its sandbox pool (the +1 is its readiness probe's connection).
--   statement_timeout, idle_in_transaction_session_timeout, work_mem: backstops behind the API's
--                     own per-transaction settings.
--   temp_file_limit   is superuser-only in PostgreSQL and the RDS master user is not a superuser:
--                     set temp_file_limit (128MB) in the DB parameter group instead.
--
-- Every session of the role is also read-only by default, as a second line behind the API's own
-- read-only transactions, and may create the temporary view the allowlist check uses (rolled back).
\set ON_ERROR_STOP on
\if :{?query_connection_limit}
\else
\set query_connection_limit 24
\endif
SELECT pg_advisory_lock(:lock_key) \g /dev/null

ALTER ROLE :"query_user" WITH LOGIN PASSWORD :'query_verifier' CONNECTION LIMIT :query_connection_limit;
ALTER ROLE :"query_user" SET default_transaction_read_only = on;
ALTER ROLE :"query_user" SET search_path = query_surface;
ALTER ROLE :"query_user" SET statement_timeout = '30s';
ALTER ROLE :"query_user" SET idle_in_transaction_session_timeout = '10s';
ALTER ROLE :"query_user" SET work_mem = '4MB';
GRANT TEMPORARY ON DATABASE :"DBNAME" TO :"query_user";

SELECT pg_advisory_unlock(:lock_key) \g /dev/null
