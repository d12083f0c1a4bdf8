using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MetricsEngine.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ImportFingerprints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "import_fingerprint",
                table: "queries",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "import_fingerprint",
                table: "metric_definitions",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "import_fingerprint",
                table: "queries");

            migrationBuilder.DropColumn(
                name: "import_fingerprint",
                table: "metric_definitions");
        }
    }
}
