using MetricsEngine.Core.Queries;

namespace MetricsEngine.Core.Metrics;

/// <summary>
/// A metric's whole definition at one version: what the tile shows and where. Restoring a
/// version applies its snapshot; comparing two snapshots says what a change was.
/// </summary>
public sealed record MetricSnapshot(
    string Title,
    bool IsEditable,
    string QueryId,
    string Sql,
    string ParameterisedSql,
    IReadOnlyList<QueryParameter> Parameters,
    IReadOnlyList<LayoutItem> Layouts,
    bool Deleted)
{
    public static MetricSnapshot Of(Metric metric, StoredQuery query) => new(
        metric.Title, metric.IsEditable, query.Id, query.Sql, query.ParameterisedSql,
        [.. query.Parameters], [.. metric.Layouts], metric.DeletedAt is not null);

    /// <summary>What changed from <paramref name="previous"/> to this snapshot, in words.</summary>
    public string DescribeChangeFrom(MetricSnapshot previous)
    {
        var changes = new List<string>();
        if (Deleted != previous.Deleted)
        {
            changes.Add(Deleted ? "deleted" : "undeleted");
        }

        if (Title != previous.Title)
        {
            changes.Add($"title changed from \"{previous.Title}\" to \"{Title}\"");
        }

        if (IsEditable != previous.IsEditable)
        {
            changes.Add(IsEditable ? "made editable" : "made read-only");
        }

        if (Sql != previous.Sql || QueryId != previous.QueryId)
        {
            changes.Add("query changed");
        }

        if (!Layouts.SequenceEqual(previous.Layouts))
        {
            changes.Add("layouts changed");
        }

        return changes.Count == 0 ? "no change" : string.Join("; ", changes);
    }
}
