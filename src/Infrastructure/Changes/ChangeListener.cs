using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Infrastructure.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetricsEngine.Infrastructure.Changes;

/// <summary>
/// The instance's one listening connection (docs/adr/change-feed.md): a dedicated, unpooled
/// connection as the engine's own role, counted in the connection budget as the "+ 1 LISTEN"
/// (docs/deploy.md). Every notification from another instance is dispatched like a local commit.
/// A lost connection is retried with exponential backoff and jitter; while it is down the
/// instance reports degraded and serves nothing from its cache, and once it listens again
/// everything is treated as changed, since notifications sent meanwhile are lost.
/// </summary>
internal sealed partial class ChangeListener(
    ListenerConnectionString connectionString,
    ChangeFeedState state,
    ChangeDispatcher dispatcher,
    IOptions<DatabaseOptions> database,
    ILogger<ChangeListener> logger) : IHostedService, IDisposable
{
    /// <summary>How long a connection may be quiet before a round trip checks that it is alive.</summary>
    internal static readonly TimeSpan Probe = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private int _disposed;

    /// <summary>
    /// Starts listening and waits for the first attempt (bounded by the connection timeout), so an
    /// instance that can reach its database serves from its cache from its first request.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => ListenAsync(_stopping.Token), CancellationToken.None);
        var bound = TimeSpan.FromSeconds(database.Value.AcquireTimeoutSeconds + 2);
        await Task.WhenAny(_firstAttempt.Task, Task.Delay(bound, cancellationToken));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stopping.CancelAsync();
        }

        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>A host disposed without being stopped (a failed start) still ends the loop and its connection.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString.Value);
                connection.Notification += (_, notification) => OnNotification(notification.Payload);
                await connection.OpenAsync(stopping);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotifications.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }

                state.Listening();
                // Whatever was cached or sent to subscribers before may predate a change we never heard.
                dispatcher.Dispatch(Change.Everything);
                LogListening();
                _firstAttempt.TrySetResult();
                backoff = FirstBackoff;

                while (true)
                {
                    if (!await connection.WaitAsync(Probe, stopping))
                    {
                        // Quiet for a while: a round trip finds a connection the network lost silently.
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(stopping);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                state.Down($"The change feed's listening connection was lost ({exception.GetType().Name}: {exception.Message}); reconnecting.");
                LogLost(exception, backoff.TotalMilliseconds);
                _firstAttempt.TrySetResult();
                try
                {
                    await Task.Delay(backoff * (0.5 + (Random.Shared.NextDouble() / 2)), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
            }
        }
    }

    private void OnNotification(string payload)
    {
        var (change, own) = ChangeNotifications.Read(payload, dispatcher.InstanceId);
        if (!own)
        {
            dispatcher.Dispatch(change);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for changes from every instance; anything cached before is dropped")]
    private partial void LogListening();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change feed connection lost; serving nothing from the cache, retrying in about {BackoffMilliseconds} ms")]
    private partial void LogLost(Exception exception, double backoffMilliseconds);
}

/// <summary>The listening connection's connection string: the engine's own role, unpooled.</summary>
internal sealed record ListenerConnectionString(string Value);
