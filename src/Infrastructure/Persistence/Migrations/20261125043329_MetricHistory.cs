using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MetricsEngine.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MetricHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deleted_at",
                table: "metric_definitions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "metric_versions",
                columns: table => new
                {
                    metric_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    change = table.Column<string>(type: "text", nullable: false),
                    snapshot = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_versions", x => new { x.metric_id, x.version });
                    table.ForeignKey(
                        name: "fk_metric_versions_metric_definitions_metric_id",
                        column: x => x.metric_id,
                        principalTable: "metric_definitions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Titles name tiles: unique among live metrics, ignoring case. Deleted ones keep theirs.
            migrationBuilder.Sql(
                "CREATE UNIQUE INDEX ux_metric_definitions_live_title ON metric_definitions (lower(title)) WHERE deleted_at IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ux_metric_definitions_live_title;");

            migrationBuilder.DropTable(
                name: "metric_versions");

            migrationBuilder.DropColumn(
                name: "deleted_at",
                table: "metric_definitions");
        }
    }
}
