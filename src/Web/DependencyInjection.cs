using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Web.Live;
using MetricsEngine.Crosscutting.Options;
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
using Serilog;
using Serilog.Events;

namespace MetricsEngine.Web;

public static class DependencyInjection
{
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        services.AddSingleton<JsonRenderings>();
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.Apply);
        services.AddExceptionHandler<ProblemExceptionHandler>();

        services.Configure<KestrelServerOptions>(options =>
            options.Limits.MaxRequestBodySize = configuration.GetValue("Api:MaxRequestBodyBytes", RequestBodyLimit.DefaultLimit));

        // Binding failures throw, so the exception handler can say which field was malformed.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.AddCognitoAuthentication(configuration);
        services.AddPermissions(configuration);
        services.AddCallerRateLimiting(configuration);
        services.AddDashboard(configuration);
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();
        services.AddMetricsEngineOpenApi();
        services.AddScoped<EndpointLoggingFilter>();

        AddLive(services, configuration);

        services.AddOptions<ImportOptions>().Bind(configuration.GetSection(ImportOptions.SectionName));
        services.AddSingleton<StartupImportState>();
        services.AddHostedService<StartupImportService>();
        services.AddHealthChecks()
            .AddCheck<StartupImportHealthCheck>("startup-import", tags: [HealthTags.Ready])
            .AddCheck<SigningKeysHealthCheck>("signing-keys", tags: [HealthTags.Ready]);

        // TLS ends at the proxy: trust X-Forwarded-For/Proto from the configured proxies only
        // (loopback by default, where nginx runs on the same host).
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
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

    /// <summary>The request pipeline, in order: proxy headers, errors, logging, authentication, rate limit per caller, authorization, endpoints.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseSerilogRequestLogging(options =>
        {
            options.GetLevel = (http, _, exception) =>
                http.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Debug
                : exception is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
                : LogEventLevel.Information;

            // As seen after X-Forwarded-* from trusted proxies: the caller's scheme and address.
            options.EnrichDiagnosticContext = (context, http) =>
            {
                context.Set("Scheme", http.Request.Scheme);
                context.Set("ClientAddress", http.Connection.RemoteIpAddress?.ToString());
            };
        });
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapApiReference();
        app.MapHealthEndpoints();
        app.MapMetricEndpoints();
        app.MapImportEndpoints();
        app.MapDashboard();
        return app;
    }
}
