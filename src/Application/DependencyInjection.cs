using FluentValidation;
using MediatR;
using MetricsEngine.Application.Common.Behaviours;
using MetricsEngine.Application.Common.Idempotency;
using MetricsEngine.Application.Common.Validation;
using MetricsEngine.Application.Imports.RunImport;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Application.Metrics.QueryGeneration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MetricsEngine.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5 with handlers and validators found by Scrutor. Behaviours wrap every request in
    /// this order, outermost first: logging scope → validation → one retry of a broken connection
    /// (queries only) → unit of work (commands only) →
    /// idempotency key (idempotent commands only, inside the transaction) → handler. So invalid
    /// requests are logged but never open a transaction, and a key is stored with the changes it
    /// stands for.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();

        services.Scan(scan => scan
            .FromAssemblyOf<ApplicationAssembly>()
            .AddClasses(classes => classes.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithScopedLifetime()
            .AddClasses(classes => classes.AssignableTo(typeof(IValidator<>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithSingletonLifetime());

        // MediatR 5 resolves behaviours in registration order and nests the first outermost. The
        // ones that hold no per-request state are singletons: a cached read builds none of them.
        services.Scan(scan => scan
            .FromTypes(typeof(LoggingScopeBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(TransientReadRetryBehaviour<,>))
            .AddClasses(publicOnly: false)
            .As(typeof(IPipelineBehavior<,>))
            .WithSingletonLifetime());
        services.Scan(scan => scan
            .FromTypes(typeof(UnitOfWorkBehaviour<,>), typeof(IdempotencyBehaviour<,>))
            .AddClasses(publicOnly: false)
            .As(typeof(IPipelineBehavior<,>))
            .WithScopedLifetime());

        services.AddScoped<MetricAnswers>();
        // The edge that receives requests replaces this with its wire names.
        services.TryAddSingleton<IFieldNames, MemberPathFieldNames>();
        services.AddScoped<QuerySource>();
        services.AddScoped<TitleRules>();
        services.AddScoped<MetricChanges>();
        services.AddScoped<MetricChangeGuard>();
        services.AddScoped<QueriesImport>();
        services.AddScoped<MetricsImport>();
        services.AddScoped<RecordsImport>();
        // Which IQueryGenerator answers is chosen by configuration where the alternatives live (Infrastructure).
        services.AddSingleton<RuleBasedQueryGenerator>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}

/// <summary>Anchor for assembly scanning.</summary>
public sealed class ApplicationAssembly;
