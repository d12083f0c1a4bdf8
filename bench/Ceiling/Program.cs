// The framework ceiling for the benchmark: the same response bytes the API sends for a cached
// metric, written by a bare minimal-API endpoint. No auth, no logging, no work.
var body = await File.ReadAllBytesAsync(args[0]);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/", () => Results.Bytes(body, "application/json; charset=utf-8"));
await app.RunAsync();
