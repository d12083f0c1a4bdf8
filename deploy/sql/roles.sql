-- Database roles for MetricsEngine, run as the RDS master user BEFORE the migrations by
-- deploy/db/db-setup.sh (psql variables: owner_user, owner_verifier, app_user, app_verifier,
-- query_user, lock_key). Idempotent: every run of the migration job runs it again.
--
--   owner_user  metrics_owner, owner of everything the migrations create. Only the migration job
--               logs in as it (its secret is readable by the job's role alone, docs/deploy.md
--               "The migration job"); it can create in the database and in public, nothing more.
--   app_user    metrics_app, the API's runtime login: reads and writes rows, creates temporary
--               tables (imports stage rows through COPY), and owns nothing. deploy/sql/grants.sql
--               gives it its privileges after each migration.
--   query_user  metrics_query, the sandbox role that runs stored SQL. It is created here without
--               a password (so it cannot log in yet) so the schema owner needs no CREATEROLE; the
--               migrations grant it what it may read and query-role.sql gives it its password.
--
-- Passwords arrive as SCRAM-SHA-256 verifiers computed by db-setup.sh, so no plain password ever
-- appears in SQL text or in the server's logs.
\set ON_ERROR_STOP on
SELECT pg_advisory_lock(:lock_key) \g /dev/null

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner_user') AS create_owner_user \gset
\if :create_owner_user
CREATE ROLE :"owner_user" LOGIN;
\endif
ALTER ROLE :"owner_user" WITH LOGIN PASSWORD :'owner_verifier';

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') AS create_app_user \gset
\if :create_app_user
CREATE ROLE :"app_user" LOGIN;
\endif
ALTER ROLE :"app_user" WITH LOGIN PASSWORD :'app_verifier';

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'query_user') AS create_query_user \gset
\if :create_query_user
CREATE ROLE :"query_user" LOGIN;
\endif

-- The database belongs to the master user (RDS creates it so). The owner may create schemas and
-- tables; the runtime login may only connect and create temporary tables. PostgreSQL 15+ no
-- longer lets PUBLIC create in public; older databases are brought in line here.
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"DBNAME" TO :"owner_user";
GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO :"app_user";
REVOKE CREATE ON DATABASE :"DBNAME" FROM :"app_user";
GRANT USAGE, CREATE ON SCHEMA public TO :"owner_user";
GRANT USAGE ON SCHEMA public TO :"app_user";
REVOKE CREATE ON SCHEMA public FROM :"app_user";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Releases before the owner/runtime split let the runtime login own the schema. If it still owns
-- anything, it is made a member of the owner for the hand-over (db-setup.sh then runs
-- handover.sql as the runtime login and revokes the membership at once).
SELECT EXISTS (
    SELECT FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = :'app_user')
    UNION ALL SELECT FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = :'app_user')
    UNION ALL SELECT FROM pg_proc WHERE proowner = (SELECT oid FROM pg_roles WHERE rolname = :'app_user')
    UNION ALL SELECT FROM pg_type WHERE typowner = (SELECT oid FROM pg_roles WHERE rolname = :'app_user')
) AS app_owns_objects,
    pg_has_role(:'app_user', :'owner_user', 'MEMBER') AS app_is_owner_member \gset
\if :app_owns_objects
GRANT :"owner_user" TO :"app_user";
\elif :app_is_owner_member
REVOKE :"owner_user" FROM :"app_user";
\endif
\echo handover_needed=:app_owns_objects

SELECT pg_advisory_unlock(:lock_key) \g /dev/null
