namespace MetricsEngine.Application.Common.Idempotency;

/// <summary>
/// The keys clients sent and what the API answered, kept with the changes they describe (same
/// transaction), so a retry can never see the changes without the answer or the other way round.
/// </summary>
public interface IIdempotencyKeyRepository
{
    /// <summary>
    /// Claims <paramref name="key"/> for this caller and request, or returns what it was used for.
    /// While another transaction holds the same key, this waits for it to commit or roll back.
    /// A key last used before <paramref name="expiredBefore"/> is free to claim again.
    /// </summary>
    Task<IdempotencyClaim> ClaimAsync(
        string caller, string key, string fingerprint, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken cancellationToken);

    /// <summary>Records the answer given under a key this transaction claimed.</summary>
    Task CompleteAsync(string caller, string key, string response, CancellationToken cancellationToken);
}

/// <summary>
/// The outcome of a claim: <see cref="Claimed"/> (new: run the command), or the fingerprint and
/// answer recorded the first time the key was used.
/// </summary>
public sealed record IdempotencyClaim(bool Claimed, string? Fingerprint = null, string? Response = null)
{
    public static readonly IdempotencyClaim New = new(true);
}
