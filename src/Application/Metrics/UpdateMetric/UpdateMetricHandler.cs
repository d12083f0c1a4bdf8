using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Core.Metrics;

namespace MetricsEngine.Application.Metrics.UpdateMetric;

public sealed class UpdateMetricHandler(
    IUnitOfWork unitOfWork, MetricChangeGuard guard, QuerySource querySource, TitleRules titles, MetricChanges changes)
    : IRequestHandler<UpdateMetricCommand, MetricDefinitionView>
{
    public async Task<MetricDefinitionView> Handle(UpdateMetricCommand request, CancellationToken cancellationToken)
    {
        var (metric, query) = await guard.LoadAsync(request.Id, request.ExpectedVersions, includeDeleted: false, cancellationToken);
        var before = MetricSnapshot.Of(metric, query);

        string? suggestedTitle = null;
        var queryChanged = false;
        if (request.QueryGenerationPrompt is not null || request.Query is not null)
        {
            await guard.EnsureQueryIsOwnAsync(metric, cancellationToken);
            (var template, suggestedTitle) = await querySource.ResolveAsync(request.QueryGenerationPrompt, request.Query, query.Id, cancellationToken);
            queryChanged = query.Update(template);
        }

        var title = metric.Title;
        if (request.Title is { } chosen)
        {
            title = chosen.Trim();
            await titles.EnsureAvailableAsync(title, metric.Id, cancellationToken);
        }
        else if (request.QueryGenerationPrompt is not null && suggestedTitle is not null)
        {
            title = await titles.MakeUniqueAsync(suggestedTitle, metric.Id, cancellationToken);
        }

        var redefined = metric.Redefine(title, query.Id, request.IsEditable!.Value, request.LayoutItems());
        if (queryChanged && !redefined)
        {
            metric.QueryChanged();
        }

        if (redefined || queryChanged)
        {
            changes.Changed(metric, query, before);
        }

        // The answer shows updated_at, which is stamped when saving: save first (the pipeline's
        // transaction still commits or rolls back everything).
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return MetricDefinitionView.Of(metric, query);
    }
}
