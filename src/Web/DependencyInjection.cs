using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Web.Live;
using MetricsEngine.Application.Common.Validation;
using MetricsEngine.Application.Imports;
using MetricsEngine.Infrastructure.Health;
using MetricsEngine.Web.Authentication;
using MetricsEngine.Web.Authorization;
using MetricsEngine.Web.Dashboard;
using MetricsEngine.Web.Endpoints;
using MetricsEngine.Web.Errors;
using MetricsEngine.Web.Logging;
using MetricsEngine.Web.OpenApi;
using MetricsEngine.Web.RateLimiting;
using MetricsEngine.Web.Serialization;
using MetricsEngine.Web.Startup;
using MetricsEngine.Web.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MetricsEngine.Web.Telemetry;

namespace MetricsEngine.Web;

public static class DependencyInjection
{
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        services.AddSingleton<IFieldNames, SnakeCaseFieldNames>();
        services.AddSingleton<JsonRenderings>();
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.Apply);
        services.AddExceptionHandler<ProblemExceptionHandler>();

        services.Configure<KestrelServerOptions>(options =>
        {
            options.Limits.MaxRequestBodySize = configuration.GetValue("Api:MaxRequestBodyBytes", RequestBodyLimit.DefaultLimit);
            options.AddServerHeader = false;
        });
        services.AddOriginPolicy(configuration);
        services.AddMetricsEngineTelemetry(configuration);

        // Binding failures throw, so the exception handler can say which field was malformed.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.AddCognitoAuthentication(configuration);
        services.AddPermissions(configuration);
        services.AddCallerRateLimiting(configuration);
        services.AddDashboard(configuration);
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();
        services.AddMetricsEngineOpenApi(() => ForwardedHosts(configuration));

        AddLive(services, configuration);

        services.AddOptions<ImportOptions>().Bind(configuration.GetSection(ImportOptions.SectionName));
        services.AddSingleton<StartupImportState>();
        services.AddHostedService<StartupImportService>();
        services.AddHealthChecks()
            .AddCheck<StartupImportHealthCheck>("startup-import", tags: [HealthTags.Ready])
            .AddCheck<SigningKeysHealthCheck>("signing-keys", tags: [HealthTags.Ready]);

        // TLS ends at the proxy: trust X-Forwarded-For/Proto from the configured proxies only
        // (loopback by default, where nginx runs on the same host). X-Forwarded-Host is taken only
        // for the hosts in ForwardedHeaders:AllowedHosts (none by default): a host a client can
        // choose must not end up in links the API hands out (the OpenAPI document's server).
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            var forwardedHosts = ForwardedHosts(configuration);
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                | (forwardedHosts.Count > 0 ? ForwardedHeaders.XForwardedHost : ForwardedHeaders.None);
            foreach (var host in forwardedHosts)
            {
                options.AllowedHosts.Add(host);
            }

            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }

            foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>Live event streams: one hub per instance, fed by the change feed (docs/adr/change-feed.md).</summary>
    private static void AddLive(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection(LiveOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LiveHub>();
        services.AddSingleton<IChangeSubscriber>(provider => provider.GetRequiredService<LiveHub>());
        services.AddSingleton<LiveStreams>();
        services.AddHostedService(provider => provider.GetRequiredService<LiveStreams>());
    }

    /// <summary>
    /// The request pipeline, in order: proxy headers; the completion log line and security headers
    /// (outside everything, so they see and mark every answer); errors as problem+json; CORS
    /// (preflights answered before routing); the body size limit; routing; authentication, rate
    /// limit per caller, authorization; the body's charset (where the endpoint reads one); query
    /// parameters and the "Endpoint called" line; endpoints.
    /// </summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseMetricsPort();
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestLogging>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (CorsSetup.AllowedOrigins(app.Configuration).Length > 0)
        {
            app.UseCors();
        }

        app.UseMiddleware<RequestBodyLimit>();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<JsonCharset>();
        app.UseMiddleware<EndpointCalls>();

        var api = app.MapGroup(string.Empty).AnswerHeadWhereGet();
        api.MapApiReference();
        api.MapHealthEndpoints();
        api.MapMetricEndpoints();
        api.MapImportEndpoints();
        app.MapDashboard();
        return app;
    }

    public static IReadOnlyList<string> ForwardedHosts(IConfiguration configuration) =>
        configuration.GetSection("ForwardedHeaders:AllowedHosts").Get<string[]>() ?? [];
}
