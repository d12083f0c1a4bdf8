using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>A metric that exists has no such version; the edge tells the caller where its versions are listed.</summary>
public sealed class MetricVersionNotFoundException(Guid metricId, int version)
    : MetricsEngineException($"Metric {metricId} has no version {version}.")
{
    public Guid MetricId { get; } = metricId;

    public int Version { get; } = version;

    public override ErrorKind Kind => ErrorKind.NotFound;
    public override string Title => "Version not found";
}
