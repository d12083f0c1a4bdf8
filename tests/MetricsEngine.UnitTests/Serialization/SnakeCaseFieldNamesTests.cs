using MetricsEngine.Web.Serialization;

namespace MetricsEngine.UnitTests.Serialization;

public sealed class SnakeCaseFieldNamesTests
{
    [TestCase("StartDate", "start_date")]
    [TestCase("DayRange", "day_range")]
    [TestCase("AsOf", "as_of")]
    [TestCase("QueryGenerationPrompt", "query_generation_prompt")]
    [TestCase("Layouts[0].W", "layouts[0].w")]
    [TestCase("Layouts[12].IsStatic", "layouts[12].is_static")]
    [TestCase("Metric.QueryId", "metric.query_id")]
    [TestCase("id", "id")]
    [TestCase("", "")]
    public void Member_paths_become_the_snake_case_names_callers_send(string propertyPath, string expected)
    {
        new SnakeCaseFieldNames().Of(propertyPath).ShouldBe(expected);
    }
}
