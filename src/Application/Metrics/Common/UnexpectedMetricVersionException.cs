using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>
/// A change made on condition that the metric is at one of the versions the caller read found it
/// at another: someone changed it meanwhile. The edge tells the caller in its own terms how it
/// named those versions.
/// </summary>
public sealed class UnexpectedMetricVersionException(Guid metricId, int currentVersion)
    : MetricsEngineException($"Metric {metricId} is at version {currentVersion}, which the change did not expect; read its definition again and retry.")
{
    public Guid MetricId { get; } = metricId;

    public int CurrentVersion { get; } = currentVersion;

    public override ErrorKind Kind => ErrorKind.PreconditionFailed;
    public override string Title => "Precondition failed";
}
