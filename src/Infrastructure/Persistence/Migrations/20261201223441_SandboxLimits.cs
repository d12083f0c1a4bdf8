using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MetricsEngine.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Limits on the sandbox role itself, a second line behind the API's own (README: "Running
    /// stored SQL safely", "Pool sizing"): however a session of metrics_query is opened, it cannot
    /// hold more connections, run longer, sit idle in a transaction, sort in more memory or write
    /// more temporary files than these allow. A schema owner that may not alter the role leaves
    /// them to deploy/sql/query-role.sql, run as the master user, which sets the same values.
    /// </summary>
    public partial class SandboxLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // CONNECTION LIMIT: two instances of the default Query__MaxConcurrent (10) plus each
            // one's readiness connection, and room for two more during a rolling replacement. A
            // deployment with other sizes sets its own through query-role.sql.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    ALTER ROLE metrics_query CONNECTION LIMIT 24;
                    ALTER ROLE metrics_query SET statement_timeout = '30s';
                    ALTER ROLE metrics_query SET idle_in_transaction_session_timeout = '10s';
                    ALTER ROLE metrics_query SET work_mem = '4MB';
                EXCEPTION WHEN insufficient_privilege THEN
                    RAISE NOTICE 'metrics_query limits not set: % may not alter that role; deploy/sql/query-role.sql sets them as the master user.', current_user;
                END
                $$;
                """);

            // temp_file_limit is for superusers only; on RDS (whose master user is not one) it is
            // set in the DB parameter group instead.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
                        ALTER ROLE metrics_query SET temp_file_limit = '128MB';
                    ELSE
                        RAISE NOTICE 'temp_file_limit for metrics_query not set: only a superuser may (on RDS, set it in the parameter group).';
                    END IF;
                END
                $$;
                """);

            // The allowlist check on save creates a temporary view (rolled back at once): the role needs
            // TEMPORARY on this database even where it was revoked from PUBLIC.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO metrics_query', current_database());
                EXCEPTION WHEN insufficient_privilege THEN
                    RAISE NOTICE 'TEMPORARY on % not granted to metrics_query: % may not grant it; deploy/sql/query-role.sql does.', current_database(), current_user;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    ALTER ROLE metrics_query CONNECTION LIMIT 100;
                    ALTER ROLE metrics_query RESET idle_in_transaction_session_timeout;
                    ALTER ROLE metrics_query RESET work_mem;
                    ALTER ROLE metrics_query SET statement_timeout = '60s';
                EXCEPTION WHEN insufficient_privilege THEN
                    RAISE NOTICE 'metrics_query limits left as they are: % may not alter that role.', current_user;
                END
                $$;
                """);
        }
    }
}
