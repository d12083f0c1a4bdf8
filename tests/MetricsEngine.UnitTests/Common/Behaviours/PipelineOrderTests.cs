using MediatR;
using MetricsEngine.Application;
using MetricsEngine.Application.Common.Behaviours;
using MetricsEngine.Application.Common.Idempotency;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Imports.RunImport;
using MetricsEngine.Application.Metrics.AddMetricRecord;
using MetricsEngine.Application.Metrics.DeleteMetric;
using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Core.Imports;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.UnitTests.Common.Behaviours;

/// <summary>
/// MediatR 5 nests behaviours in registration order, outermost first. Logging must wrap validation,
/// and validation must run before the unit of work opens a transaction; queries have no unit of work.
/// </summary>
public sealed class PipelineOrderTests
{
    [Test]
    public void Behaviours_for_a_query_run_logging_then_validation_then_a_retry_of_broken_connections_and_open_no_unit_of_work() =>
        BehavioursOf<GetMetricQuery, MetricAnswer>()
            .ShouldBe([typeof(LoggingScopeBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(TransientReadRetryBehaviour<,>)]);

    [Test]
    public void Behaviours_for_a_command_run_logging_then_validation_then_unit_of_work() =>
        BehavioursOf<DeleteMetricCommand, Unit>()
            .ShouldBe([typeof(LoggingScopeBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(UnitOfWorkBehaviour<,>)]);

    [Test]
    public void Behaviours_for_an_idempotent_command_check_its_key_inside_the_unit_of_work() =>
        BehavioursOf<AddMetricRecordCommand, CreatedRecord>()
            .ShouldBe([typeof(LoggingScopeBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(UnitOfWorkBehaviour<,>), typeof(IdempotencyBehaviour<,>)]);

    [Test]
    public void The_import_owns_its_transactions_so_it_gets_no_unit_of_work() =>
        BehavioursOf<RunImportCommand, ImportRun>()
            .ShouldBe([typeof(LoggingScopeBehaviour<,>), typeof(ValidationBehaviour<,>)]);

    /// <summary>The behaviours MediatR would nest around the request, outermost first, as open generics.</summary>
    private static Type[] BehavioursOf<TRequest, TResponse>()
    {
        using var provider = BuildProvider();
        using var scope = provider.CreateScope();
        return [.. scope.ServiceProvider.GetServices<IPipelineBehavior<TRequest, TResponse>>().Select(b => b.GetType().GetGenericTypeDefinition())];
    }

    private static ServiceProvider BuildProvider()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddApplication();
        services.AddScoped<IUnitOfWork, UnusedUnitOfWork>();
        services.AddScoped<ICurrentUser, NoCaller>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private sealed class NoCaller : ICurrentUser
    {
        public string Id => "system";
        public string CallerKey => "system";
    }

    /// <summary>Only resolved, never used: the behaviours are built, not run.</summary>
    private sealed class UnusedUnitOfWork : IUnitOfWork
    {
        public IMetricRepository Metrics => throw new NotSupportedException();
        public IQueryRepository Queries => throw new NotSupportedException();
        public IRecordRepository Records => throw new NotSupportedException();
        public IImportRunRepository ImportRuns => throw new NotSupportedException();
        public IMetricVersionRepository Versions => throw new NotSupportedException();
        public IIdempotencyKeyRepository IdempotencyKeys => throw new NotSupportedException();

        public Task SaveChangesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IUnitOfWorkTransaction> BeginTransactionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public void DiscardChanges() => throw new NotSupportedException();

        public void Changed(MetricsEngine.Application.Common.Changes.Change change) => throw new NotSupportedException();
    }
}
