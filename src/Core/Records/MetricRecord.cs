namespace MetricsEngine.Core.Records;

/// <summary>
/// One measured event for a query. Identical rows are distinct events, so identity is an
/// idempotency key (derived from content and occurrence for imports, random for API posts),
/// not the content itself.
/// </summary>
public sealed class MetricRecord
{
    private MetricRecord()
    {
    }

    public long Id { get; private set; }
    public string QueryId { get; private set; } = null!;

    /// <summary>When the event happened, in UTC.</summary>
    public DateTime Date { get; private set; }

    public Measures Measures { get; private set; } = null!;
    public Guid IdempotencyKey { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static MetricRecord Create(string queryId, DateTime dateUtc, Measures measures, Guid idempotencyKey, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queryId);
        if (dateUtc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Record dates are UTC.", nameof(dateUtc));
        }

        if (!measures.HasAny)
        {
            throw new ArgumentException("A record carries at least one measure.", nameof(measures));
        }

        return new MetricRecord
        {
            QueryId = queryId,
            Date = dateUtc,
            Measures = measures,
            IdempotencyKey = idempotencyKey,
            CreatedAt = createdAt,
        };
    }
}
