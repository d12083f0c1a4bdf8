using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace MetricsEngine.Testing;

/// <summary>Sending literal JSON (as a client would type it) and reading answers as JSON trees.</summary>
public static class HttpJson
{
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.SendJsonAsync(HttpMethod.Post, path, json);

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        }

        return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!;
    }

    /// <summary>The field errors of a 400 problem, as "field: message" lines.</summary>
    public static async Task<IReadOnlyList<string>> FieldErrorsAsync(this HttpResponseMessage response)
    {
        var problem = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        return [.. problem["errors"]!.AsObject().SelectMany(e => e.Value!.AsArray().Select(m => $"{e.Key}: {m}"))];
    }

    public static async Task<Guid> CreateMetricAsync(this HttpClient client, string json)
    {
        var created = await (await client.PostJsonAsync("/metrics", json)).ReadJsonAsync(HttpStatusCode.Created);
        return created["id"]!.GetValue<Guid>();
    }

    public static Task<JsonNode?> GetJsonAsync(this HttpClient client, string path) => client.GetFromJsonAsync<JsonNode>(path);
}
