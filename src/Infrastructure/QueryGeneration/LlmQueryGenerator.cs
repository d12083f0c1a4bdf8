using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MetricsEngine.Application.Metrics.QueryGeneration;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace MetricsEngine.Infrastructure.QueryGeneration;

/// <summary>
/// Asks an OpenAI-compatible chat-completions endpoint for the SQL. The model is told to write
/// ordinary SQL with literal dates, which then goes through the same parameteriser and allowlist
/// check on save as any other SQL, so what it writes cannot bypass the sandbox. Timeout and retries come from
/// the HTTP client's resilience pipeline.
/// </summary>
internal sealed partial class LlmQueryGenerator(HttpClient http, IOptions<LlmOptions> options) : IQueryGenerator
{
    public async Task<GeneratedQuery> GenerateAsync(string prompt, string queryId, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["model"] = options.Value.Model,
            ["temperature"] = 0,
            ["response_format"] = new JsonObject { ["type"] = "json_object" },
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = SystemPrompt(queryId) },
                new JsonObject { ["role"] = "user", ["content"] = prompt }),
        };

        string content;
        try
        {
            using var response = await http.PostAsJsonAsync("chat/completions", request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new QueryGenerationException($"The query generator answered {(int)response.StatusCode} {response.ReasonPhrase}.", timedOut: false);
            }

            content = ContentOf(await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken));
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new QueryGenerationException(
                $"The query generator did not answer within {options.Value.TimeoutSeconds} seconds ({options.Value.MaxRetries + 1} attempt(s)).", timedOut: true, e);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            throw new QueryGenerationException("The query generator could not be reached or sent something that is not JSON.", timedOut: false, e);
        }

        var (sql, title) = Parse(content);
        return new GeneratedQuery(QueryTemplate.Parameterise(sql), string.IsNullOrWhiteSpace(title) ? PromptTitles.From(prompt) : PromptTitles.From(title));
    }

    public static string SystemPrompt(string queryId) => $"""
        You write one PostgreSQL query for a tile on a metrics dashboard.
        The only relation you may read is the view metrics, with these columns:
          id text             -- the query id; always filter: id = '{queryId}'
          date timestamp      -- when the event happened, UTC
          obsolescence numeric       -- cost avoided
          obsolescence_val numeric   -- obsolescence value
          parts_flagged integer
          alert_type text            -- e.g. 'Critical', 'Warning', 'Info'
          alert_category text        -- e.g. 'Need Approval', 'Review'
        Rules: exactly one SELECT (or WITH ... SELECT), no semicolon, no writes, no other relations,
        no functions with side effects. Name every output column.
        Time windows: a fixed period as DATE(date) BETWEEN 'YYYY-MM-DD' AND 'YYYY-MM-DD';
        a rolling one as date >= CURRENT_DATE - INTERVAL 'N' DAY. Without a period, use the last 30 days.
        Answer with a JSON object: {"{"}"title": "a short title", "sql": "the query"{"}"}.
        """;

    /// <summary><c>choices[0].message.content</c>, read without trusting the answer's shape.</summary>
    private static string ContentOf(JsonNode? completion) =>
        completion is JsonObject answer
        && answer["choices"] is JsonArray { Count: > 0 } choices
        && choices[0]?["message"]?["content"] is JsonValue content
        && content.TryGetValue<string>(out var text)
            ? text
            : throw new QueryGenerationException("The query generator's answer has no message content.", timedOut: false);

    /// <summary>The JSON object asked for; tolerates a fenced code block or bare SQL from less obedient models.</summary>
    private static (string Sql, string? Title) Parse(string content)
    {
        var text = CodeFence().Match(content) is { Success: true } fenced ? fenced.Groups["body"].Value : content;
        try
        {
            if (JsonNode.Parse(text) is JsonObject answer
                && answer["sql"] is JsonValue sqlValue && sqlValue.TryGetValue<string>(out var sql) && sql.Length > 0)
            {
                return (sql, answer["title"] is JsonValue titleValue && titleValue.TryGetValue<string>(out var title) ? title : null);
            }
        }
        catch (JsonException)
        {
            // Not JSON: some models answer with the SQL alone.
        }

        return text.TrimStart().StartsWith("select", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith("with", StringComparison.OrdinalIgnoreCase)
            ? (text.Trim(), null)
            : throw new QueryGenerationException("The query generator did not answer with SQL.", timedOut: false);
    }

    [GeneratedRegex(@"```(?:json|sql)?\s*(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeFence();
}
