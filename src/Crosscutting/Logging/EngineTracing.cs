using System.Diagnostics;

namespace MetricsEngine.Crosscutting.Logging;

/// <summary>
/// The engine's own spans (one per application request, imports and their files). Starting one
/// costs a null check while nothing listens, which is the case unless traces are exported.
/// </summary>
public static class EngineTracing
{
    public const string SourceName = "MetricsEngine";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Tag saying whether a read was answered from the cache.</summary>
    public const string CacheTag = "metricsengine.cache";
}
