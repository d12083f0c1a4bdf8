using System.Globalization;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;
using Npgsql;

namespace MetricsEngine.Infrastructure.Querying.Allowlist;

/// <summary>
/// The allowlist check SQL passes when it is saved: PostgreSQL resolves the statement exactly as it would run (quoting, <c>U&amp;</c>
/// escapes, schema qualification and search_path all applied) by storing it as a temporary view
/// in a transaction that is rolled back; creating a view parses and analyses the query but
/// neither plans nor runs it, so nothing in it is evaluated. The view's rule tree
/// (<c>pg_rewrite.ev_action</c>) then lists every function, operator, type and relation it
/// uses, each checked against <see cref="SandboxAllowlist"/>. The tree's text format is internal
/// to PostgreSQL, so only a few stable fields are read and any node kind not known to be harmless
/// is refused (docs/adr/sandbox-allowlist.md).
/// </summary>
internal static class AllowlistCheck
{
    private const string ProbeView = "metricsengine_probe";

    private const string ProbePrefix = $"CREATE TEMPORARY VIEW {ProbeView} AS SELECT 1 AS probe FROM (\n";

    /// <summary>
    /// Where, in the probe view's statement (1-based, as PostgreSQL reports error positions), the
    /// author's SQL ends: the executor's row cap closes it with <c>) AS metric_query</c>.
    /// </summary>
    public static int EndOfStatement(string statement) =>
        ProbePrefix.Length + statement.LastIndexOf("\n) AS metric_query", StringComparison.Ordinal) + 1;

    /// <summary>The batch that creates the probe view and reads its rule; run it, then hand its single row to <see cref="JudgeAsync"/>.</summary>
    public static NpgsqlBatch ProbeBatch(NpgsqlConnection connection, string statement, TimeSpan timeout)
    {
        var milliseconds = ((int)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // Read-write only so that a temporary view may be created; nothing is committed.
                new NpgsqlBatchCommand("BEGIN TRANSACTION READ WRITE"),
                new NpgsqlBatchCommand($"SET LOCAL statement_timeout = {milliseconds}"),
                new NpgsqlBatchCommand($"SET LOCAL lock_timeout = {milliseconds}"),
                new NpgsqlBatchCommand("SET LOCAL search_path = query_surface"),
                new NpgsqlBatchCommand($"{ProbePrefix}{statement}\n) AS probe"),
                new NpgsqlBatchCommand($"""
                    SELECT r.ev_action::text, to_regclass('{SandboxAllowlist.MetricsView}')::oid, r.ev_class
                    FROM pg_catalog.pg_rewrite r WHERE r.ev_class = 'pg_temp.{ProbeView}'::regclass
                    """),
                new NpgsqlBatchCommand("ROLLBACK"),
            },
            Timeout = (int)Math.Ceiling(timeout.TotalSeconds) + 5,
        };
    }

    /// <summary>Throws <see cref="QueryRejectedException"/> naming the first thing the allowlist does not hold.</summary>
    public static async Task JudgeAsync(
        NpgsqlConnection connection, string ruleTree, long metricsView, long probeView, AllowedObjects allowed, CancellationToken cancellationToken)
    {
        ParseTreeFacts facts;
        try
        {
            facts = ParseTreeFacts.Of(ParseTreeReader.Read(ruleTree));
        }
        catch (FormatException e)
        {
            throw Refused($"Not supported in a metric's query: PostgreSQL's reading of it could not be checked ({e.Message})");
        }

        var relations = facts.Relations.Where(r => r != metricsView && r != probeView).Distinct().ToList();
        var functions = facts.Functions.Where(f => !allowed.Functions.Contains(f)).Distinct().ToList();
        var clock = facts.ValueFunctionTypes.FirstOrDefault(t => t != allowed.DateType);
        var operators = facts.Operators.Where(o => !allowed.Operators.ContainsKey(o)).Distinct().ToList();
        var types = facts.Types.Where(t => !allowed.Types.Contains(t)).Distinct().ToList();
        if (relations.Count == 0 && functions.Count == 0 && clock != 0)
        {
            throw Refused($"Function not allowed: {ValueFunctionName(clock)} (time comes from as_of, which is what CURRENT_DATE becomes)");
        }

        if (relations.Count == 0 && functions.Count == 0 && operators.Count == 0 && facts.Unrecognised.Count > 0)
        {
            throw Refused($"Not supported in a metric's query: {Describe(facts.Unrecognised[0])}");
        }

        if (relations.Count + functions.Count + operators.Count + types.Count > 0)
        {
            var names = await NamesAsync(connection, relations, functions, operators, types, cancellationToken);
            throw (relations, functions, operators) switch
            {
                ({ Count: > 0 }, _, _) => Refused($"Only the metrics view can be read: {names[("relation", relations[0])]}"),
                (_, { Count: > 0 }, _) => Refused($"Function not allowed: {names[("function", functions[0])]}"),
                (_, _, { Count: > 0 }) => Refused($"Operator not allowed: {names[("operator", operators[0])]}"),
                _ => Refused($"Type not allowed: {names[("type", types[0])]}"),
            };
        }

        if (facts.InRangeFunctions.Any(f => !allowed.InRangeFunctions.Contains(f))
            || facts.OperatorFunctions.Any(pair => allowed.Operators.TryGetValue(pair.Operator, out var code) && code != pair.Function))
        {
            throw Refused("Not supported in a metric's query: a window frame or operator PostgreSQL resolved to an unexpected function");
        }

    }

    private static QueryRejectedException Refused(string reason)
    {
        EngineMetrics.AllowlistRefusals.Add(1);
        return new QueryRejectedException(reason);
    }

    private static async Task<Dictionary<(string Kind, long Oid), string>> NamesAsync(
        NpgsqlConnection connection, List<long> relations, List<long> functions, List<long> operators, List<long> types, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT 'relation', c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ANY (@relations)
            UNION ALL SELECT 'function', p.oid, p.oid::regprocedure::text FROM pg_catalog.pg_proc p WHERE p.oid = ANY (@functions)
            UNION ALL SELECT 'operator', o.oid, o.oid::regoperator::text FROM pg_catalog.pg_operator o WHERE o.oid = ANY (@operators)
            UNION ALL SELECT 'type', t.oid, pg_catalog.format_type(t.oid, NULL) FROM pg_catalog.pg_type t WHERE t.oid = ANY (@types)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("relations", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid) { Value = relations.Select(o => (uint)o).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("functions", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid) { Value = functions.Select(o => (uint)o).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("operators", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid) { Value = operators.Select(o => (uint)o).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid) { Value = types.Select(o => (uint)o).ToArray() });

        var names = new Dictionary<(string, long), string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names[(reader.GetString(0), reader.GetFieldValue<uint>(1))] = reader.GetString(2);
        }

        // An oid the catalogs no longer know (dropped meanwhile) is still named, by number.
        foreach (var (kind, oids) in new[] { ("relation", relations), ("function", functions), ("operator", operators), ("type", types) })
        {
            foreach (var oid in oids)
            {
                names.TryAdd((kind, oid), $"oid {oid.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        return names;
    }

    // The SQL value functions differ by result type, which (unlike their internal numbering) is the same on every version.
    private static string ValueFunctionName(long type) => type switch
    {
        1266 => "CURRENT_TIME",
        1184 => "CURRENT_TIMESTAMP",
        1083 => "LOCALTIME",
        1114 => "LOCALTIMESTAMP",
        19 => "CURRENT_USER",
        _ => "an SQL value function",
    };

    private static string Describe(string node) => node switch
    {
        "XMLEXPR" or "XMLSERIALIZE" => "XML functions",
        "TABLEFUNC" => "XMLTABLE and JSON_TABLE",
        "ROWMARKCLAUSE" => "FOR UPDATE / FOR SHARE (row locks)",
        "TABLESAMPLECLAUSE" => "TABLESAMPLE",
        "PARAM" => "parameters other than start_date, end_date, day_range and as_of",
        _ when node.StartsWith("JSON", StringComparison.Ordinal) => "SQL/JSON constructors and queries (JSON_OBJECT, JSON_QUERY, ...)",
        _ => $"a construct the sandbox does not recognise ({node})",
    };
}
