-- What the runtime login (app_user) may do, run as the schema owner AFTER the migrations by
-- deploy/db/db-setup.sh (psql variables: app_user, lock_key). Idempotent.
--
-- Rows only: SELECT, INSERT, UPDATE, DELETE on every table and view the owner has, the sequences
-- behind them, USAGE on the owner's schemas. No DDL, no TRUNCATE, and the migration history is
-- read-only (readiness compares it with the build's migrations). Default privileges give the
-- same to what later migrations create, so a new table is usable by the release that expects it
-- without another grant step; this script re-grants anyway, for objects created before it ran.
\set ON_ERROR_STOP on
SELECT pg_advisory_lock(:lock_key) \g /dev/null

-- USAGE on public comes from roles.sql (the master user's schema); these are the owner's own.
SELECT format('GRANT USAGE ON SCHEMA %I TO %I', nspname, :'app_user')
  FROM pg_namespace
 WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
\gexec
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', nspname, :'app_user'),
       format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', nspname, :'app_user')
  FROM pg_namespace
 WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) OR nspname = 'public'
\gexec

SELECT to_regclass('public."__EFMigrationsHistory"') IS NOT NULL AS has_history \gset
\if :has_history
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public."__EFMigrationsHistory" FROM :"app_user";
\endif

ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO :"app_user";
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user";
ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app_user";

SELECT pg_advisory_unlock(:lock_key) \g /dev/null
