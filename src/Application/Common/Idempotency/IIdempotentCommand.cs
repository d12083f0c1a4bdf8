namespace MetricsEngine.Application.Common.Idempotency;

/// <summary>
/// A command a client may safely send again: with the same key and the same content within
/// <see cref="IdempotentRequests.Window"/> it gets the first answer and
/// nothing is stored twice; the same key with other content is refused.
/// </summary>
public interface IIdempotentCommand
{
    /// <summary>The client's key for this one operation, or null when it sent none.</summary>
    string? IdempotencyKey { get; }

    /// <summary>
    /// What makes a retry the same request: every value the command carries except the key (the
    /// target's id as much as the posted fields), as an object whose members the digest reads in
    /// order. Digests are stored with their keys: keep the members, their names and order as they are.
    /// </summary>
    object IdentifyingValues();
}
