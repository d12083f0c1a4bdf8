using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Common.Messaging;
using MetricsEngine.Application.Metrics.GetMetric;

namespace MetricsEngine.Application.Metrics.WatchMetric;

/// <summary>
/// A metric's answer recomputed for its live subscribers: the same answer as
/// <see cref="GetMetricQuery"/>, but the server's own work, so an uncached run takes no caller's
/// share of the query capacity (<see cref="CallerKeys.Subscribers"/>).
/// </summary>
public sealed record WatchMetricQuery(GetMetricQuery Asked) : IQuery<MetricAnswer>;

public sealed class WatchMetricHandler(MetricAnswers answers) : IRequestHandler<WatchMetricQuery, MetricAnswer>
{
    public Task<MetricAnswer> Handle(WatchMetricQuery request, CancellationToken cancellationToken) =>
        answers.AnswerAsync(request.Asked, CallerKeys.Subscribers, cancellationToken);
}
