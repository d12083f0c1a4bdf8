using System.Data.Common;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Imports;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Infrastructure.Caching;
using MetricsEngine.Infrastructure.Changes;
using MetricsEngine.Infrastructure.Health;
using MetricsEngine.Infrastructure.Importing;
using MetricsEngine.Infrastructure.Persistence;
using MetricsEngine.Infrastructure.Persistence.Idempotency;
using MetricsEngine.Infrastructure.Querying;
using MetricsEngine.Infrastructure.QueryGeneration;
using MetricsEngine.Application.Metrics.QueryGeneration;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace MetricsEngine.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "Metrics";
    public const string QueryConnectionStringName = "MetricsQuery";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QueryOptions>()
            .Bind(configuration.GetSection(QueryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Resolved lazily: verbs that never touch the database (token) run without a connection string.
        // Both pools are sized by settings, never by the connection strings, so that every
        // instance's share of the server's connections is what the README's formula says.
        services.AddSingleton(provider =>
        {
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new MainDataSource(BuildDataSource(RequiredConnectionString(configuration), "metricsengine", database.MaxPoolSize, database));
        });
        services.AddSingleton(provider =>
        {
            // One connection more than runs may hold, kept for the readiness probe, so a flood of
            // stored SQL can never make the instance look unready.
            var runs = provider.GetRequiredService<IOptions<QueryOptions>>().Value.MaxConcurrent;
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new QueryDataSource(BuildDataSource(QueryConnectionString(configuration), "metricsengine-query", runs + 1, database));
        });
        services.AddSingleton<QueryAdmission>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditTimestampsInterceptor>();
        // The one registration of the context: one per scope, rented from a pool (options built
        // once, contexts reused) and returned with the scope. The unit of work resolves it on first
        // use only, so a read answered from the cache never rents one; whatever else in the scope
        // asks for the context gets the same instance, inside the same transaction.
        services.AddDbContextPool<MetricsDbContext>((provider, options) => MetricsDbContext
            .Conventions(options.UseNpgsql(provider.GetRequiredService<MainDataSource>().DataSource))
            .AddInterceptors(provider.GetRequiredService<AuditTimestampsInterceptor>()));

        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddHostedService<IdempotencyKeySweeper>();
        services.AddOptions<CacheOptions>().Bind(configuration.GetSection(CacheOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IMetricCache, MetricCache>();
        AddChangeFeed(services, configuration);
        services.AddSingleton<SqlQueryExecutor>();
        services.AddSingleton<IQueryExecutor>(provider => new MeasuredQueryExecutor(provider.GetRequiredService<SqlQueryExecutor>()));
        services.AddSingleton<ISqlValidator, SandboxSqlValidator>();
        // Every import source (a file format, an object store, a feed) is one class implementing
        // IImportSource<T>; the scan registers each one, the first registered reading a location wins.
        services.Scan(scan => scan
            .FromAssemblyOf<FileImportSource>()
            .AddClasses(classes => classes.AssignableTo(typeof(IImportSource<>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithSingletonLifetime());
        AddQueryGeneration(services, configuration);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<IExceptionTranslator, DatabaseExceptionTranslator>();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, [HealthTags.Database, HealthTags.Ready])
            .AddCheck<MigrationsHealthCheck>("migrations", HealthStatus.Unhealthy, [HealthTags.Ready])
            .AddCheck<QuerySandboxHealthCheck>("query-sandbox", HealthStatus.Unhealthy, [HealthTags.Ready]);
        return services;
    }

    /// <summary>Committed changes reach this instance's cache and subscribers, and every other instance (docs/adr/change-feed.md).</summary>
    private static void AddChangeFeed(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ChangeFeedState>();
        services.AddSingleton<ChangeDispatcher>();
        services.AddSingleton(provider =>
        {
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new ListenerConnectionString(new NpgsqlConnectionStringBuilder(RequiredConnectionString(configuration))
            {
                // Its own connection, never one of the pool's: LISTEN lasts as long as the session.
                Pooling = false,
                // Named per instance, so an operator (or a test) can tell the fleet's listeners apart.
                ApplicationName = $"metricsengine-listen:{provider.GetRequiredService<ChangeDispatcher>().InstanceId}",
                Timeout = database.AcquireTimeoutSeconds,
                CommandTimeout = 10,
            }.ConnectionString);
        });
        services.AddHostedService<ChangeListener>();
        services.AddHealthChecks().AddCheck<ChangeFeedHealthCheck>("change-feed", HealthStatus.Degraded, [HealthTags.Ready]);
    }

    private static void AddQueryGeneration(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QueryGenerationOptions>().Bind(configuration.GetSection(QueryGenerationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate<IOptions<QueryGenerationOptions>>(
                (llm, generation) => generation.Value.Provider != QueryGenerationOptions.Llm || (llm.Endpoint is not null && !string.IsNullOrWhiteSpace(llm.Model)),
                "QueryGeneration__Provider is 'llm': set Llm__Endpoint (e.g. https://api.openai.com/v1) and Llm__Model.")
            .ValidateOnStart();

        services.AddHttpClient<LlmQueryGenerator>((provider, client) =>
            {
                var llm = provider.GetRequiredService<IOptions<LlmOptions>>().Value;
                if (llm.Endpoint is { } endpoint)
                {
                    client.BaseAddress = new Uri(endpoint.ToString().TrimEnd('/') + "/");
                }

                if (!string.IsNullOrEmpty(llm.ApiKey))
                {
                    client.DefaultRequestHeaders.Authorization = new("Bearer", llm.ApiKey);
                }

                // LlmResilienceHandler owns timeouts (per attempt, with retries).
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<LlmResilienceHandler>();
        services.AddTransient<LlmResilienceHandler>();

        services.AddTransient<IQueryGenerator>(provider =>
            provider.GetRequiredService<IOptions<QueryGenerationOptions>>().Value.Provider == QueryGenerationOptions.Llm
                ? provider.GetRequiredService<LlmQueryGenerator>()
                : provider.GetRequiredService<RuleBasedQueryGenerator>());
    }

    private static string RequiredConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName)
        ?? throw new MissingConfigurationException(
            $"No database configured: set ConnectionStrings__{ConnectionStringName} (for example \"Host=localhost;Port=5432;Database=metrics;Username=metrics;Password=...\").");

    /// <summary>
    /// The sandbox role's connection: <c>ConnectionStrings:MetricsQuery</c>, or else the main one
    /// logging in as <c>metrics_query</c> without a password (enough where the server trusts local
    /// connections, as in development and tests; managed servers set the connection string).
    /// </summary>
    private static string QueryConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(QueryConnectionStringName)
        ?? new NpgsqlConnectionStringBuilder(RequiredConnectionString(configuration))
        {
            Username = QuerySandboxHealthCheck.RoleName,
            Password = null,
        }.ConnectionString;

    private static NpgsqlDataSource BuildDataSource(string connectionString, string applicationName, int maxPoolSize, DatabaseOptions database)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= applicationName;
        builder.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        builder.ConnectionStringBuilder.MinPoolSize = 0;
        builder.ConnectionStringBuilder.Timeout = database.AcquireTimeoutSeconds;
        builder.ConnectionStringBuilder.ConnectionIdleLifetime = database.ConnectionIdleLifetimeSeconds;
        builder.ConnectionStringBuilder.ConnectionPruningInterval = Math.Clamp(database.ConnectionIdleLifetimeSeconds / 3, 1, 10);

        // The same few statements run over and over (a metric's query, its definition lookup):
        // prepared, they skip parsing and planning, which was a third of the database's CPU per
        // uncached GET. A connection string that sets its own value keeps it.
        if (!SetsKeyword(connectionString, "Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 128;
        }

        return builder.Build();
    }

    // Npgsql's own builder answers ContainsKey for every keyword it knows; only the raw string
    // says what the operator actually wrote.
    private static bool SetsKeyword(string connectionString, string keyword) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
}
