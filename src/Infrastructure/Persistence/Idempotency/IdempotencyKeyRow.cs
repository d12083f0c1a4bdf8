namespace MetricsEngine.Infrastructure.Persistence.Idempotency;

/// <summary>
/// A key a caller sent with a command, a digest of that command and the answer it got. Written and
/// read with plain SQL (<see cref="IdempotencyKeyRepository"/>); mapped so that migrations own the table.
/// </summary>
internal sealed class IdempotencyKeyRow
{
    public required string Caller { get; init; }
    public required string Key { get; init; }
    public required string Fingerprint { get; init; }
    public string? Response { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
