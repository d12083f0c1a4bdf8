using MetricsEngine.Core.Metrics;

namespace MetricsEngine.Application.Common.Interfaces;

public interface IMetricVersionRepository
{
    void Add(MetricVersion version);

    Task<IReadOnlyList<MetricVersion>> ListAsync(Guid metricId, CancellationToken cancellationToken);

    Task<MetricVersion?> FindAsync(Guid metricId, int version, CancellationToken cancellationToken);
}
