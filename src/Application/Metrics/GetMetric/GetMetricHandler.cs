using MediatR;
using MetricsEngine.Application.Common.Interfaces;

namespace MetricsEngine.Application.Metrics.GetMetric;

/// <summary>Answers a dashboard tile on the caller's own share of the query capacity.</summary>
public sealed class GetMetricHandler(MetricAnswers answers, ICurrentUser currentUser) : IRequestHandler<GetMetricQuery, MetricAnswer>
{
    public Task<MetricAnswer> Handle(GetMetricQuery request, CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, currentUser.CallerKey, cancellationToken);
}
