using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetricsEngine.Testing;

namespace MetricsEngine.IntegrationTests.Imports;

/// <summary>Import__OnStartup: the files are imported once the host runs, and readiness waits for it.</summary>
public sealed class StartupImportTests
{
    [Test]
    public async Task The_files_are_imported_at_start_up_and_the_instance_becomes_ready()
    {
        using var files = SampleMetrics.Files();
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Import:OnStartup"] = "true",
            ["Import:QueriesFile"] = files.QueriesFile,
            ["Import:MetricsFile"] = files.MetricsFile,
            ["Import:RecordsFile"] = files.RecordsFile,
        });
        using var client = api.CreateAuthorizedClient();

        var ready = await WaitForReadinessAsync(client, HttpStatusCode.OK);
        var metric = await client.GetAsync($"/metrics/{SampleMetrics.AlertsByType}");

        ready["checks"]!["startup-import"]!["description"]!.GetValue<string>().ShouldStartWith("Start-up import completed");
        metric.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_start_up_import_is_logged_as_a_sentence_not_as_a_record_dump()
    {
        using var files = SampleMetrics.Files();
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Import:OnStartup"] = "true",
            ["Import:QueriesFile"] = files.QueriesFile,
            ["Import:MetricsFile"] = files.MetricsFile,
            ["Import:RecordsFile"] = files.RecordsFile,
        });
        using var client = api.CreateClient(token: null);
        await WaitForReadinessAsync(client, HttpStatusCode.OK);

        var finished = api.Logs.WithTemplate("Import {ImportRunId} finished ({Outcome:l}): {Counts:l}; {IssueCount} issue(s)").ShouldHaveSingleItem();

        finished.RenderMessage().ShouldMatch(
            @"^Import [0-9a-f-]{36} finished \(kept\): queries \d+ read, \d+ added, 0 updated, 0 unchanged, \d+ rejected; " +
            @"metrics .+; layouts .+; records 13 read, 13 added, 0 updated, 0 unchanged, 0 rejected; \d+ issue\(s\)$");
    }

    [Test]
    public async Task A_missing_file_keeps_the_instance_not_ready_and_says_which()
    {
        await using var api = await MetricsApi.StartAsync(new Dictionary<string, string?>
        {
            ["Import:OnStartup"] = "true",
            ["Import:QueriesFile"] = "/nonexistent/queries.csv",
        });
        using var client = api.CreateClient(token: null);

        var ready = await WaitForReadinessAsync(client, HttpStatusCode.ServiceUnavailable, until: "failed");

        ready["detail"]!.GetValue<string>().ShouldBe("Start-up import failed: /nonexistent/queries.csv: the file does not exist.");
    }

    private static async Task<JsonNode> WaitForReadinessAsync(HttpClient client, HttpStatusCode expected, string until = "completed")
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync("/health/ready");
            var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
            if ((response.StatusCode == expected && body.ToJsonString().Contains(until, StringComparison.Ordinal)) || attempt == 100)
            {
                response.StatusCode.ShouldBe(expected, body.ToJsonString());
                return body;
            }

            await Task.Delay(100);
        }
    }
}
