using MetricsEngine.Core.Common;

namespace MetricsEngine.Core.Queries;

/// <summary>
/// A SQL query as it was supplied (<see cref="Sql"/>) and in the form that is executed, with its
/// date literals replaced by parameters (<see cref="ParameterisedSql"/>).
/// </summary>
public sealed class StoredQuery : IAuditable
{
    private StoredQuery()
    {
    }

    public string Id { get; private set; } = null!;
    public string Sql { get; private set; } = null!;
    public string ParameterisedSql { get; private set; } = null!;
    public List<QueryParameter> Parameters { get; private set; } = [];

    /// <summary>
    /// Fingerprint of the SQL as the queries file last gave it; null for queries created through
    /// the API. An import changes the query only when the file's SQL differs from this, so an
    /// edit made through the API survives re-importing an unchanged file.
    /// </summary>
    public string? ImportFingerprint { get; private set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static StoredQuery Create(string id, QueryTemplate template)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var query = new StoredQuery { Id = id };
        query.Apply(template);
        return query;
    }

    /// <summary>Replaces the SQL; returns false when nothing changed.</summary>
    public bool Update(QueryTemplate template)
    {
        if (template.OriginalSql == Sql && template.ParameterisedSql == ParameterisedSql)
        {
            return false;
        }

        Apply(template);
        return true;
    }

    public void MarkImported(string fingerprint) => ImportFingerprint = fingerprint;

    private void Apply(QueryTemplate template)
    {
        Sql = template.OriginalSql;
        ParameterisedSql = template.ParameterisedSql;
        Parameters = [.. template.Parameters];
    }
}
