using MetricsEngine.Core.Queries;

namespace MetricsEngine.UnitTests.Queries;

public sealed class QueryShapeTests
{
    [TestCase("SELECT 1")]
    [TestCase("select alert_type, count(*) from metrics group by 1;")]
    [TestCase("SELECT 1;;  -- trailing semicolons and a comment")]
    [TestCase("WITH daily AS (SELECT DATE(date) AS day FROM metrics) SELECT * FROM daily")]
    [TestCase("(SELECT 1) UNION (SELECT 2)")]
    [TestCase("SELECT 'DELETE FROM metrics; DROP TABLE x' AS harmless_text")]
    [TestCase("SELECT 1 /* ; INSERT */ -- ; UPDATE\n")]
    [TestCase("SELECT m.update FROM (SELECT 1 AS update) AS m")]
    [TestCase("SELECT \"delete\" FROM (SELECT 1 AS \"delete\") AS t")]
    [TestCase("SELECT current_setting('work_mem') AS setting")]
    [TestCase("SELECT pg_sleep(1)")] // shape only: the allowlist refuses it
    [TestCase("SELECT set_config('role', 'x', true)")] // likewise
    public void Reading_queries_pass(string sql) => QueryShape.Problem(sql).ShouldBeNull();

    [TestCase("", "The query is empty.")]
    [TestCase("  ;  -- nothing", "The query is empty.")]
    [TestCase("SELECT 1; SELECT 2", "Only one statement is allowed: remove everything after the first ';'.")]
    [TestCase("VALUES (1)", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'VALUES'.")]
    [TestCase("EXPLAIN ANALYZE SELECT 1", "A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'EXPLAIN'.")]
    [TestCase("WITH x AS (INSERT INTO t VALUES (1) RETURNING *) SELECT * FROM x", "Writes are not allowed: a metric's query may only read, but this one contains INSERT.")]
    [TestCase("WITH x AS (MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE) SELECT 1", "Writes are not allowed: a metric's query may only read, but this one contains MERGE.")]
    [TestCase("select * into t from metrics", "Writes are not allowed: a metric's query may only read, but this one contains INTO.")]
    [TestCase("SELECT * FROM metrics FOR UPDATE", "Writes are not allowed: a metric's query may only read, but this one contains UPDATE.")]
    [TestCase("SELECT 1 AS \0one", QueryShape.NulCharacter)]
    [TestCase("SELECT '\0'", QueryShape.NulCharacter)]
    public void Other_sql_is_refused_with_a_reason(string sql, string reason) => QueryShape.Problem(sql).ShouldBe(reason);
}
