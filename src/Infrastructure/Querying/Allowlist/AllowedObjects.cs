using Npgsql;

namespace MetricsEngine.Infrastructure.Querying.Allowlist;

/// <summary>
/// <see cref="SandboxAllowlist"/> resolved to oids on the server it runs against, loaded once per
/// connection pool (built-in objects keep their oids for the life of a server). The metrics view
/// is not here: its oid is read with every check, so a migration that recreates it is seen at once.
/// </summary>
internal sealed record AllowedObjects(
    IReadOnlySet<long> Functions,
    IReadOnlySet<long> InRangeFunctions,
    IReadOnlyDictionary<long, long> Operators,
    IReadOnlySet<long> Types,
    long DateType)
{
    public static async Task<AllowedObjects> LoadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH listed AS (
                SELECT to_regtype(name)::oid AS oid FROM unnest(@types) AS name WHERE to_regtype(name) IS NOT NULL
            ), types AS (
                SELECT oid FROM listed
                UNION SELECT t.typarray FROM pg_catalog.pg_type t JOIN listed l ON l.oid = t.oid WHERE t.typarray <> 0
            ), declared AS (
                SELECT oid FROM types
                UNION SELECT to_regtype(name)::oid FROM unnest(@polymorphic) AS name WHERE to_regtype(name) IS NOT NULL
            )
            SELECT 'type', oid, 0::oid FROM types
            UNION ALL
            SELECT 'function', to_regprocedure(signature)::oid, 0::oid FROM unnest(@functions) AS signature WHERE to_regprocedure(signature) IS NOT NULL
            UNION ALL
            SELECT 'function', c.castfunc, 0::oid FROM pg_catalog.pg_cast c
            WHERE c.castfunc <> 0 AND c.castsource IN (SELECT oid FROM types) AND c.casttarget IN (SELECT oid FROM types)
            UNION ALL
            SELECT 'in_range', p.oid, 0::oid FROM pg_catalog.pg_proc p
            WHERE p.proname = 'in_range' AND p.pronamespace = 'pg_catalog'::regnamespace
              AND p.proargtypes[0] IN (SELECT oid FROM types) AND p.proargtypes[2] IN (SELECT oid FROM types)
            UNION ALL
            SELECT 'operator', o.oid, o.oprcode FROM pg_catalog.pg_operator o
            WHERE o.oprname = ANY (@operators) AND o.oprnamespace = 'pg_catalog'::regnamespace
              AND (o.oprleft = 0 OR o.oprleft IN (SELECT oid FROM declared))
              AND o.oprright IN (SELECT oid FROM declared) AND o.oprresult IN (SELECT oid FROM declared)
            UNION ALL
            SELECT 'date', 'pg_catalog.date'::regtype::oid, 0::oid
            """, connection);
        command.Parameters.AddWithValue("types", SandboxAllowlist.Types.ToArray());
        command.Parameters.AddWithValue("polymorphic", SandboxAllowlist.PolymorphicTypes.ToArray());
        command.Parameters.AddWithValue("functions", SandboxAllowlist.Functions.ToArray());
        command.Parameters.AddWithValue("operators", SandboxAllowlist.OperatorNames.ToArray());

        var functions = new HashSet<long>();
        var inRange = new HashSet<long>();
        var operators = new Dictionary<long, long>();
        var types = new HashSet<long>();
        long date = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var oid = (long)reader.GetFieldValue<uint>(1);
            switch (reader.GetString(0))
            {
                case "type": types.Add(oid); break;
                case "function": functions.Add(oid); break;
                case "in_range": inRange.Add(oid); break;
                case "operator": operators[oid] = reader.GetFieldValue<uint>(2); break;
                case "date": date = oid; break;
            }
        }

        return new AllowedObjects(functions, inRange, operators, types, date);
    }
}
