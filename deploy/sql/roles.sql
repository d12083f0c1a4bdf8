-- Database roles for MetricsEngine, run as the RDS master user BEFORE the migrations by
-- deploy/ec2/db-setup.sh (psql variables: app_user, app_verifier, query_user, lock_key).
-- Idempotent: every deploy and every instance boot runs it again.
--
--   app_user    the API's login and the owner of everything the migrations create. It is not the
--               master user, so RDS rotating the master password never touches the running API.
--   query_user  metrics_query, the sandbox role of SPEC §6 that runs stored SQL. It is created here
--               (without a password, so it cannot log in yet) so the schema owner needs no
--               CREATEROLE; the migrations grant it USAGE on query_surface and SELECT on
--               query_surface.metrics, and query-role.sql gives it its password afterwards.
--
-- Passwords arrive as SCRAM-SHA-256 verifiers computed by db-setup.sh, so no plain password ever
-- appears in SQL text or in the server's logs.
\set ON_ERROR_STOP on
SELECT pg_advisory_lock(:lock_key) \g /dev/null

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') AS create_app_user \gset
\if :create_app_user
CREATE ROLE :"app_user" LOGIN;
\endif
ALTER ROLE :"app_user" WITH LOGIN PASSWORD :'app_verifier';

-- The database belongs to the master user (RDS creates it so); the API's role may create the
-- schemas and tables the migrations define. PostgreSQL 15+ no longer lets PUBLIC create in public.
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"DBNAME" TO :"app_user";
GRANT USAGE, CREATE ON SCHEMA public TO :"app_user";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'query_user') AS create_query_user \gset
\if :create_query_user
CREATE ROLE :"query_user" LOGIN;
\endif

SELECT pg_advisory_unlock(:lock_key) \g /dev/null
