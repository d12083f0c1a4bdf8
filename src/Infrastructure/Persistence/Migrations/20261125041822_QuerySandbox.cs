using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MetricsEngine.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class QuerySandbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The role stored SQL runs as (docs/product.md#stored-sql-sandbox): it can log in, use the query surface and read
            // the metrics view, and nothing else. Roles are cluster-wide, hence "if not exists".
            // On a managed server the deployment gives it a password afterwards (README: sandbox).
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'metrics_query') THEN
                        CREATE ROLE metrics_query LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION
                            CONNECTION LIMIT 100;
                    END IF;
                END
                $$;
                """);
            migrationBuilder.Sql("GRANT USAGE ON SCHEMA query_surface TO metrics_query;");
            migrationBuilder.Sql("GRANT SELECT ON query_surface.metrics TO metrics_query;");

            // Defaults for any session of the role, a second line behind the executor's own per-
            // transaction settings. Altering another role needs role-admin rights, which a schema
            // owner on a managed server may lack; there the deployment's role script (run as the
            // master user, deploy/sql/query-role.sql) sets the same defaults.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    ALTER ROLE metrics_query SET search_path = query_surface;
                    ALTER ROLE metrics_query SET default_transaction_read_only = on;
                    ALTER ROLE metrics_query SET statement_timeout = '60s';
                EXCEPTION WHEN insufficient_privilege THEN
                    RAISE NOTICE 'metrics_query session defaults not set: % may not alter that role; deploy/sql/query-role.sql sets them as the master user.', current_user;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The role itself stays: other databases on the same server may still use it.
            migrationBuilder.Sql("REVOKE SELECT ON query_surface.metrics FROM metrics_query;");
            migrationBuilder.Sql("REVOKE USAGE ON SCHEMA query_surface FROM metrics_query;");
        }
    }
}
