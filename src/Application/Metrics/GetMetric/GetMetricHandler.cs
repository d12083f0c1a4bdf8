using MediatR;
using MetricsEngine.Application.Common.Interfaces;

namespace MetricsEngine.Application.Metrics.GetMetric;

/// <summary>Answers a dashboard tile on the caller's own share of the query capacity.</summary>
public sealed class GetMetricHandler(MetricAnswers answers, ICurrentUser currentUser) : IRequestHandler<GetMetricQuery, MetricView>
{
    public async Task<MetricView> Handle(GetMetricQuery request, CancellationToken cancellationToken) =>
        (await answers.AnswerAsync(request, currentUser.CallerKey, cancellationToken)).View;
}
