using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MetricsEngine.Web.Authentication;

/// <summary>
/// The issuer's discovery document and JWKS, cached. Unlike IdentityModel's manager, a requested
/// refresh is fetched inline by the next caller, so the request that meets a newly rotated key
/// can be validated with it at once. Refreshes on request are throttled: the first is immediate,
/// later ones at most once per <c>Auth:KeyRefreshIntervalSeconds</c>, so a flood of bogus key ids
/// cannot hammer the JWKS endpoint. Keys are also refreshed every 12 hours. Until a first fetch
/// succeeds, attempts are retried at most every few seconds and every token is refused.
/// </summary>
internal sealed class SigningKeySource(
    string metadataAddress,
    IDocumentRetriever retriever,
    TimeSpan refreshInterval,
    TimeProvider clock) : IConfigurationManager<OpenIdConnectConfiguration>, IDisposable
{
    private static readonly TimeSpan AutomaticRefresh = TimeSpan.FromHours(12);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly TimeSpan _bootstrapRetry = refreshInterval < TimeSpan.FromSeconds(5) ? refreshInterval : TimeSpan.FromSeconds(5);
    private OpenIdConnectConfiguration? _current;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset? _lastAttempt;
    private DateTimeOffset? _lastRequestedRefresh;
    private volatile bool _refreshRequested;

    public string MetadataAddress => metadataAddress;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (_current is { } current && !_refreshRequested && clock.GetUtcNow() - _fetchedAt < AutomaticRefresh)
        {
            return current;
        }

        await _lock.WaitAsync(cancel);
        try
        {
            if (ShouldFetch(clock.GetUtcNow()))
            {
                await FetchAsync(cancel);
            }

            return _current ?? throw new InvalidOperationException($"The signing keys at {metadataAddress} could not be fetched.");
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Asks for fresh keys on the next call; honoured at once the first time, then once per refresh interval.</summary>
    public void RequestRefresh() => _refreshRequested = true;

    public void Dispose() => _lock.Dispose();

    private bool ShouldFetch(DateTimeOffset now)
    {
        if (_current is null)
        {
            return _lastAttempt is not { } last || now - last >= _bootstrapRetry;
        }

        if (_refreshRequested)
        {
            _refreshRequested = false;
            if (_lastRequestedRefresh is not { } lastRequested || now - lastRequested >= refreshInterval)
            {
                _lastRequestedRefresh = now;
                return true;
            }
        }

        return now - _fetchedAt >= AutomaticRefresh;
    }

    private async Task FetchAsync(CancellationToken cancel)
    {
        _lastAttempt = clock.GetUtcNow();
        try
        {
            _current = await OpenIdConnectConfigurationRetriever.GetAsync(metadataAddress, retriever, cancel);
            _fetchedAt = clock.GetUtcNow();
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            if (_current is null)
            {
                // Reported the way IdentityModel's own manager reports it, so callers handle one exception type.
                throw new InvalidOperationException($"The signing keys at {metadataAddress} could not be fetched: {e.Message}", e);
            }

            // Stale keys are better than none: keep serving with them until the issuer answers again.
        }
    }
}
