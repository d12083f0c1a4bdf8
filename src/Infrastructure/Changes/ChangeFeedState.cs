namespace MetricsEngine.Infrastructure.Changes;

/// <summary>
/// Whether this instance hears every committed change right now: its listening connection is up
/// and listening. Down from start-up until the first LISTEN succeeds, and from a lost connection
/// until it is listening again.
/// </summary>
public sealed class ChangeFeedState
{
    private volatile string? _down = "The change feed has not started listening yet.";

    public bool IsListening => _down is null;

    /// <summary>Why changes made elsewhere may be missed now; null while listening.</summary>
    public string? Reason => _down;

    internal void Listening() => _down = null;

    internal void Down(string reason) => _down = reason;
}
