using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

// Benchmark helpers (bench/run.sh):
//   dataset DIR RECORDS   queries.csv, metrics.json, metric_records.json and the same rows as CSV for \copy
//   token KEY_PEM ISSUER CLIENT_ID   a Cognito-shaped RS256 access token (kid "rehearsal"), valid 2 hours
return args switch
{
    ["dataset", var dir, var count] => await Dataset(dir, int.Parse(count, CultureInfo.InvariantCulture)),
    ["token", var keyPem, var issuer, var clientId] => Token(keyPem, issuer, clientId),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: BenchTools dataset DIR RECORDS | token KEY_PEM ISSUER CLIENT_ID");
    return 2;
}

// 100 queries; records spread evenly over them and over 2022-2025, deterministically.
static async Task<int> Dataset(string dir, int count)
{
    const int Queries = 100;
    Directory.CreateDirectory(dir);
    var csv = new StringBuilder("id,query\n");
    for (var q = 0; q < Queries; q++)
    {
        csv.Append(CultureInfo.InvariantCulture, $"q_{q},\"-- Alerts by type, June 2024 ({q})\nSELECT alert_type, COUNT(*) AS total_alerts, SUM(obsolescence) AS cost_avoided\nFROM metrics\nWHERE id = 'q_{q}' AND DATE(date) BETWEEN '2024-06-01' AND '2024-06-30'\nGROUP BY alert_type\nORDER BY alert_type\"\n");
    }

    await File.WriteAllTextAsync(Path.Combine(dir, "queries.csv"), csv.ToString());
    await File.WriteAllTextAsync(Path.Combine(dir, "metrics.json"), """
        { "items": [ { "id": "b0000000-0000-4000-8000-000000000000", "queryId": "q_0", "isEditable": false } ],
          "layouts": { "lg": [ { "i": "b0000000-0000-4000-8000-000000000000", "x": 0, "y": 0, "w": 6, "h": 4, "static": false } ] } }
        """);

    string[] types = ["Critical", "Warning", "Info"];
    string[] categories = ["Need Approval", "Review", "Closed"];
    var start = new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    var span = (int)(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) - start).TotalMinutes;
    await using var json = new Utf8JsonWriter(File.Create(Path.Combine(dir, "metric_records.json")));
    await using var copy = new StreamWriter(Path.Combine(dir, "metric_records.csv"));
    var now = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
    json.WriteStartArray();
    for (var i = 0; i < count; i++)
    {
        var query = $"q_{i % Queries}";
        var date = start.AddMinutes((int)((long)i * 7919 % span));
        var obsolescence = Math.Round((decimal)(i % 1000) / 7m, 2);
        var parts = i % 13;
        var type = types[i % types.Length];
        var category = categories[i / 3 % categories.Length];
        json.WriteStartObject();
        json.WriteString("id", query);
        json.WriteString("date", date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        json.WriteNumber("obsolescence", obsolescence);
        json.WriteNumber("parts_flagged", parts);
        json.WriteString("alert_type", type);
        json.WriteString("alert_category", category);
        json.WriteEndObject();
        await copy.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{query},{date:yyyy-MM-dd HH:mm:ss},{obsolescence},,{parts},{type},{category},{Guid.NewGuid()},{now}"));
        if (i % 10_000 == 0)
        {
            await json.FlushAsync();
        }
    }

    json.WriteEndArray();
    await json.FlushAsync();
    return 0;
}

static int Token(string keyPem, string issuer, string clientId)
{
    using var rsa = RSA.Create();
    rsa.ImportFromPem(File.ReadAllText(keyPem));
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var header = JsonSerializer.Serialize(new Dictionary<string, object> { ["alg"] = "RS256", ["kid"] = "rehearsal" });
    var payload = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["sub"] = Guid.NewGuid().ToString(),
        ["iss"] = issuer,
        ["token_use"] = "access",
        ["client_id"] = clientId,
        ["scope"] = "api/backend_access",
        ["iat"] = now,
        ["exp"] = now + 7200,
    });
    var input = $"{B64(Encoding.UTF8.GetBytes(header))}.{B64(Encoding.UTF8.GetBytes(payload))}";
    Console.WriteLine($"{input}.{B64(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}");
    return 0;

    static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
