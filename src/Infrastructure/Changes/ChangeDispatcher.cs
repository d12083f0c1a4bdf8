using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using Microsoft.Extensions.Logging;

namespace MetricsEngine.Infrastructure.Changes;

/// <summary>
/// Applies a committed change on this instance: the cache first, so anything that recomputes in
/// reaction (live subscribers) cannot read what the change made stale, then every other subscriber.
/// </summary>
public sealed partial class ChangeDispatcher(IMetricCache cache, IEnumerable<IChangeSubscriber> subscribers, ILogger<ChangeDispatcher> logger)
{
    /// <summary>This instance, as its notifications name it (so it can recognise its own).</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public void Dispatch(Change change)
    {
        cache.OnChange(change);
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber.OnChange(change);
            }
            catch (Exception exception)
            {
                // One subscriber's bug must not keep the change from the others (or from the committer).
                LogSubscriberFailed(exception, subscriber.GetType().Name, change.Scope);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Change subscriber {Subscriber} failed on a {Scope} change")]
    private partial void LogSubscriberFailed(Exception exception, string subscriber, ChangeScope scope);
}
