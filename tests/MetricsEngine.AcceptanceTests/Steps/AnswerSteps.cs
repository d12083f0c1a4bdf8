using System.Text.Json.Nodes;
using TechTalk.SpecFlow;
using Microsoft.AspNetCore.WebUtilities;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>What the API answered: status, problem documents, JSON bodies, headers.</summary>
[Binding]
public sealed class AnswerSteps(Conversation conversation)
{
    private Answer Last => conversation.Last;

    /// <summary>The reason phrase is checked too, so "404 Not Found" cannot drift into "404 OK".</summary>
    [Then(@"^the API answers (\d{3}) (.+)$")]
    public void TheApiAnswers(int status, string reason)
    {
        ((int)Last.Status).ShouldBe(status, $"The API answered {(int)Last.Status}: {Last.Body}");
        reason.ShouldBe(ReasonPhrases.GetReasonPhrase(status), $"{status} is called \"{ReasonPhrases.GetReasonPhrase(status)}\".");
    }

    [Then(@"the answer is the problem ""([^""]*)""")]
    public void TheAnswerIsTheProblem(string title)
    {
        Last.MediaType.ShouldBe("application/problem+json", Last.Body);
        var problem = Last.Json;
        problem["title"]!.GetValue<string>().ShouldBe(title, Last.Body);
        problem["status"]!.GetValue<int>().ShouldBe((int)Last.Status);
        problem["type"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        problem["traceId"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    // Greedy between the first and the last quote, so a detail may quote things itself.
    [Then("^the problem detail is \"(.*)\"$")]
    public void TheProblemDetailIs(string detail) => Last.Json["detail"]!.GetValue<string>().ShouldBe(conversation.Expected(detail));

    [Then("the problem lists the errors:")]
    public void TheProblemListsTheErrors(Table errors)
    {
        var actual = Last.Json["errors"]!.AsObject()
            .SelectMany(e => e.Value!.AsArray().Select(m => $"{e.Key}: {m!.GetValue<string>()}"));
        actual.ShouldBe(errors.Rows.Select(r => $"{r["field"]}: {r["message"]}"), Last.Body);
    }

    [Then("the answer is:")]
    public void TheAnswerIs(string json) => ShouldBeJson(Last.Json, json);

    [Then(@"the answer's ""([^""]*)"" is:")]
    public void TheAnswersFieldIs(string path, string json) => ShouldBeJson(JsonCells.At(Last.Json, path), json);

    /// <summary>A text field compared as text, for SQL and other multi-line values.</summary>
    [Then(@"the answer's ""([^""]*)"" reads:")]
    public void TheAnswersFieldReads(string path, string text) => JsonCells.Show(JsonCells.At(Last.Json, path)).ShouldBe(text);

    [Then("the answer has:")]
    public void TheAnswerHas(Table fields)
    {
        var json = Last.Json;
        foreach (var row in fields.Rows)
        {
            var actual = JsonCells.At(json, row["field"]);
            var expected = conversation.Expected(row["value"]);
            JsonCells.Matches(actual, expected).ShouldBeTrue($"'{row["field"]}' is {JsonCells.Show(actual)}, not {expected}");
        }
    }

    /// <summary>Checked against the clock: the one place a scenario cannot write the expected value down.</summary>
    [Then("as_of is today's date")]
    public void AsOfIsToday()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        JsonCells.Show(JsonCells.At(Last.Json, "parameters.as_of.value")).ShouldBe(today);
        JsonCells.Show(JsonCells.At(Last.Json, "parameters.as_of.default")).ShouldBe(today);
    }

    [Then(@"the answer lists (-?\d+) item(?:s)?")]
    public void TheAnswerListsItems(int count) => Last.Json.AsArray().Count.ShouldBe(count, Last.Body);

    [Then("the records are:")]
    public void TheRecordsAre(Table expected)
    {
        var records = Last.Json["records"]!.AsArray();
        records.Count.ShouldBe(expected.RowCount, JsonCells.Compact(records));
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i]!.AsObject();
            record.Select(p => p.Key).ShouldBe(expected.Header, $"the columns of record {i}");
            foreach (var column in expected.Header)
            {
                JsonCells.Matches(record[column], expected.Rows[i][column])
                    .ShouldBeTrue($"record {i} has {column} = {JsonCells.Show(record[column])}, not {expected.Rows[i][column]}");
            }
        }
    }

    [Then("there are no records")]
    public void ThereAreNoRecords() => Last.Json["records"]!.AsArray().ShouldBeEmpty();

    [Then(@"there are (-?\d+) records")]
    public void ThereAreRecords(int count) => Last.Json["records"]!.AsArray().Count.ShouldBe(count);

    [Then(@"^the answer has the header ([\w-]+): (.+)$")]
    public void TheAnswerHasTheHeader(string name, string value)
    {
        var values = Last.Headers.TryGetValues(name, out var found) ? found : Last.ContentHeaders.TryGetValues(name, out found) ? found : [];
        string.Join(", ", values).ShouldBe(conversation.Expected(value));
    }

    [Then("the listed titles are:")]
    public void TheListedTitlesAre(Table titles) =>
        Last.Json["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ShouldBe(titles.Rows.Select(r => r["title"]));

    [Then("the versions are:")]
    public void TheVersionsAre(Table versions)
    {
        var actual = Last.Json.AsArray();
        actual.Select(v => $"{v!["version"]} | {v["changed_by"]} | {v["change"]}")
            .ShouldBe(versions.Rows.Select(r => $"{r["version"]} | {r["changed_by"]} | {r["change"]}"));
        actual.Select(v => DateTimeOffset.Parse(v!["changed_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBeInOrder(SortDirection.Ascending);
    }

    [Then("the answer challenges the caller for a Bearer token")]
    public void ChallengesForBearer() => Last.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer");

    [Then("the answer does not challenge the caller")]
    public void DoesNotChallenge() => Last.Headers.WwwAuthenticate.ShouldBeEmpty();

    [Then("the answer has no body")]
    public void TheAnswerHasNoBody() => Last.Body.ShouldBeEmpty();

    private static void ShouldBeJson(JsonNode? actual, string expected) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).ShouldBeTrue(
            $"expected {JsonCells.Compact(JsonNode.Parse(expected))}\n but was {JsonCells.Compact(actual)}");
}
