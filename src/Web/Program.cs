using MetricsEngine.Application;
using MetricsEngine.Infrastructure;
using MetricsEngine.Web;
using MetricsEngine.Web.Cli;
using MetricsEngine.Web.Logging;

var command = HostCommand.Parse(args);
if (command.IsAnswered)
{
    // --help, --version and usage errors are answered before any host or database is touched.
    return command.Answer(Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = command.HostArgs });

// docs/product.md#listening-and-tls: http://localhost:8080 unless ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or --urls say otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls("http://localhost:8080");
}

builder.AddMetricsEngineLogging(forVerb: command.IsVerb);
builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddWeb(builder.Configuration);

var app = builder.Build();
if (command.IsVerb)
{
    return await Verbs.RunAsync(command, app, app.Lifetime.ApplicationStopping);
}

app.UseWeb();
return await Verbs.ServeAsync(app);

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
