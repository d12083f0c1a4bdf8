using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Core.Metrics;
using MetricsEngine.Core.Queries;

namespace MetricsEngine.Application.Metrics.CreateMetric;

public sealed class CreateMetricHandler(IUnitOfWork unitOfWork, QuerySource querySource, TitleRules titles, MetricChanges changes)
    : IRequestHandler<CreateMetricCommand, CreatedMetric>
{
    public async Task<CreatedMetric> Handle(CreateMetricCommand request, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var queryId = QuerySource.QueryIdFor(id);
        var (template, suggestedTitle) = await querySource.ResolveAsync(request.QueryGenerationPrompt, request.Query, queryId, cancellationToken);
        string title;
        if (request.Title is { } chosen)
        {
            title = chosen.Trim();
            await titles.EnsureAvailableAsync(title, id, cancellationToken);
        }
        else
        {
            title = await titles.MakeUniqueAsync(suggestedTitle ?? "Untitled metric", id, cancellationToken);
        }

        var query = StoredQuery.Create(queryId, template);
        var metric = Metric.Create(id, title, queryId, request.IsEditable!.Value, request.LayoutItems());
        unitOfWork.Queries.Add(query);
        unitOfWork.Metrics.Add(metric);
        changes.Created(metric, query, request.QueryGenerationPrompt is null ? "created from SQL" : "created from a prompt");
        return new CreatedMetric(id);
    }
}
