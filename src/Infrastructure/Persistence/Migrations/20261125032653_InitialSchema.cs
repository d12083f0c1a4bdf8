using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MetricsEngine.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "import_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    dry_run = table.Column<bool>(type: "boolean", nullable: false),
                    counts = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "queries",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    sql = table.Column<string>(type: "text", nullable: false),
                    parameterised_sql = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    parameters = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "import_issues",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    file = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    position = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    severity = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    key = table.Column<string>(type: "text", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: false),
                    raw = table.Column<string>(type: "text", nullable: false),
                    import_run_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_issues", x => x.id);
                    table.ForeignKey(
                        name: "fk_import_issues_import_runs_import_run_id",
                        column: x => x.import_run_id,
                        principalTable: "import_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "metric_definitions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    query_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    is_editable = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_definitions", x => x.id);
                    table.ForeignKey(
                        name: "fk_metric_definitions_queries_query_id",
                        column: x => x.query_id,
                        principalTable: "queries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "metric_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    query_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    date = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    idempotency_key = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    alert_category = table.Column<string>(type: "text", nullable: true),
                    alert_type = table.Column<string>(type: "text", nullable: true),
                    obsolescence = table.Column<decimal>(type: "numeric", nullable: true),
                    obsolescence_val = table.Column<decimal>(type: "numeric", nullable: true),
                    parts_flagged = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_records", x => x.id);
                    table.ForeignKey(
                        name: "fk_metric_records_queries_query_id",
                        column: x => x.query_id,
                        principalTable: "queries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "layout_items",
                columns: table => new
                {
                    breakpoint = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    metric_id = table.Column<Guid>(type: "uuid", nullable: false),
                    x = table.Column<int>(type: "integer", nullable: false),
                    y = table.Column<int>(type: "integer", nullable: false),
                    w = table.Column<int>(type: "integer", nullable: false),
                    h = table.Column<int>(type: "integer", nullable: false),
                    @static = table.Column<bool>(name: "static", type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_layout_items", x => new { x.metric_id, x.breakpoint });
                    table.ForeignKey(
                        name: "fk_layout_items_metric_definitions_metric_id",
                        column: x => x.metric_id,
                        principalTable: "metric_definitions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_import_issues_import_run_id",
                table: "import_issues",
                column: "import_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_import_runs_started_at",
                table: "import_runs",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_metric_definitions_query_id",
                table: "metric_definitions",
                column: "query_id");

            migrationBuilder.CreateIndex(
                name: "ix_metric_records_idempotency_key",
                table: "metric_records",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_metric_records_query_id_date",
                table: "metric_records",
                columns: new[] { "query_id", "date" });

            // The query surface: the only relation stored SQL can name. Column names are the
            // contract of docs/product.md#records-and-measures (id is the query id).
            migrationBuilder.Sql("CREATE SCHEMA query_surface;");
            migrationBuilder.Sql("""
                CREATE VIEW query_surface.metrics AS
                SELECT query_id AS id, date, obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category
                FROM metric_records;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW query_surface.metrics;");
            migrationBuilder.Sql("DROP SCHEMA query_surface;");

            migrationBuilder.DropTable(
                name: "import_issues");

            migrationBuilder.DropTable(
                name: "layout_items");

            migrationBuilder.DropTable(
                name: "metric_records");

            migrationBuilder.DropTable(
                name: "import_runs");

            migrationBuilder.DropTable(
                name: "metric_definitions");

            migrationBuilder.DropTable(
                name: "queries");
        }
    }
}
