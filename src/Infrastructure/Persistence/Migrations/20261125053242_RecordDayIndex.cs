using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MetricsEngine.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecordDayIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Stored queries filter a metric's rows either on the timestamp (date >= ...), served by
            // ix_metric_records_query_id_date, or on the day (DATE(date) BETWEEN ...), served by this.
            migrationBuilder.Sql("CREATE INDEX ix_metric_records_query_id_day ON metric_records (query_id, (date::date));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_metric_records_query_id_day;");
        }
    }
}
