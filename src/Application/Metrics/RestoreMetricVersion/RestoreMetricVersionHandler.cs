using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.RestoreMetricVersion;

public sealed class RestoreMetricVersionHandler(
    IUnitOfWork unitOfWork, MetricChangeGuard guard, TitleRules titles, MetricChanges changes, TimeProvider clock)
    : IRequestHandler<RestoreMetricVersionCommand, MetricDefinitionView>
{
    public async Task<MetricDefinitionView> Handle(RestoreMetricVersionCommand request, CancellationToken cancellationToken)
    {
        var (metric, query) = await guard.LoadAsync(request.Id, expectedVersions: null, includeDeleted: true, cancellationToken);
        var target = await unitOfWork.Versions.FindAsync(metric.Id, request.Version, cancellationToken)
            ?? throw new MetricVersionNotFoundException(metric.Id, request.Version);
        var snapshot = target.Snapshot;
        if (!snapshot.Deleted)
        {
            await titles.EnsureAvailableAsync(snapshot.Title, metric.Id, cancellationToken);
        }

        var before = MetricSnapshot.Of(metric, query);
        if (snapshot.QueryId != query.Id)
        {
            query = await unitOfWork.Queries.FindAsync(snapshot.QueryId, cancellationToken)
                ?? throw new ConflictException($"Version {request.Version} ran query '{snapshot.QueryId}', which no longer exists.");
        }

        if (snapshot.Sql != query.Sql)
        {
            await guard.EnsureQueryIsOwnAsync(metric, cancellationToken);
        }

        query.Update(new QueryTemplate(snapshot.Sql, snapshot.ParameterisedSql, snapshot.Parameters, QueryTemplate.TitleOf(snapshot.Sql)));
        metric.Restore(snapshot, clock.GetUtcNow());
        changes.Changed(metric, query, before, $"restored version {request.Version}");

        // The answer shows updated_at, which is stamped when saving: save first (the pipeline's
        // transaction still commits or rolls back everything).
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return MetricDefinitionView.Of(metric, query);
    }
}
