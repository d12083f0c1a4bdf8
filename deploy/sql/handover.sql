-- Hands the schema from the runtime login to the owner, run as the runtime login (app_user) by
-- deploy/db/db-setup.sh only when roles.sql found that it still owns objects (a database set up by
-- a release before the owner/runtime split). roles.sql made it a member of the owner for this;
-- db-setup.sh revokes that membership right after (psql variables: owner_user, app_user, lock_key).
--
-- REASSIGN OWNED moves every object of this database the runtime login owns, and rewrites the
-- grants it made as owner (the sandbox role's USAGE and SELECT) so the owner is their grantor.
\set ON_ERROR_STOP on
SELECT pg_advisory_lock(:lock_key) \g /dev/null
REASSIGN OWNED BY :"app_user" TO :"owner_user";
SELECT pg_advisory_unlock(:lock_key) \g /dev/null
