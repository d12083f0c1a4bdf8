using TechTalk.SpecFlow;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>Checks on a definition's SQL, where the whole text would bury the point.</summary>
[Binding]
public sealed class DefinitionSteps(Conversation conversation)
{
    [Then(@"the definition's SQL contains ""([^""]*)""")]
    public void SqlContains(string fragment) => Sql().ShouldContain(fragment);

    /// <summary>A generated query reads only its own metric's records: query id q_ + the metric id without dashes.</summary>
    [Then("the definition's SQL filters on the metric's own query id")]
    public void SqlFiltersOnOwnQueryId()
    {
        var definition = conversation.Last.Json;
        var queryId = $"q_{definition["id"]!.GetValue<Guid>():N}";
        definition["query_id"]!.GetValue<string>().ShouldBe(queryId);
        Sql().ShouldContain($"id = '{queryId}'");
    }

    private string Sql() => conversation.Last.Json["sql"]!.GetValue<string>();
}
