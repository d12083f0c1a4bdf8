namespace MetricsEngine.Infrastructure.Querying.Allowlist;

/// <summary>
/// What a resolved query uses, as oids in the order they appear, read from its parse tree by the
/// few fields that name a catalog object. Nodes of kinds not known to be harmless are listed too,
/// so anything unrecognised is refused rather than ignored.
/// </summary>
internal sealed class ParseTreeFacts
{
    public List<long> Relations { get; } = [];
    public List<long> Functions { get; } = [];
    public List<long> InRangeFunctions { get; } = [];
    public List<long> Operators { get; } = [];

    /// <summary>(operator, its implementing function) as the tree states them; the function must be the operator's own.</summary>
    public List<(long Operator, long Function)> OperatorFunctions { get; } = [];
    public List<long> Types { get; } = [];

    /// <summary>Result types of SQL value functions (CURRENT_DATE is the date one).</summary>
    public List<long> ValueFunctionTypes { get; } = [];

    /// <summary>Node kinds or fields this reader does not know to be harmless.</summary>
    public List<string> Unrecognised { get; } = [];

    private static readonly HashSet<string> AllowedNodes = new(StringComparer.Ordinal)
    {
        "QUERY", "RANGETBLENTRY", "RTEPERMISSIONINFO", "ALIAS", "FROMEXPR", "JOINEXPR", "RANGETBLREF", "TARGETENTRY",
        "VAR", "CONST", "AGGREF", "GROUPINGFUNC", "WINDOWFUNC", "FUNCEXPR", "NAMEDARGEXPR", "OPEXPR", "DISTINCTEXPR",
        "NULLIFEXPR", "SCALARARRAYOPEXPR", "BOOLEXPR", "SUBLINK", "FIELDSELECT", "RELABELTYPE", "COERCEVIAIO",
        "ARRAYCOERCEEXPR", "COLLATEEXPR", "CASEEXPR", "CASEWHEN", "CASETESTEXPR", "ARRAYEXPR", "ROWEXPR",
        "ROWCOMPAREEXPR", "COALESCEEXPR", "MINMAXEXPR", "SQLVALUEFUNCTION", "NULLTEST", "BOOLEANTEST",
        "SORTGROUPCLAUSE", "GROUPINGSET", "WINDOWCLAUSE", "COMMONTABLEEXPR", "CTESEARCHCLAUSE", "CTECYCLECLAUSE",
        "SETOPERATIONSTMT", "RANGETBLFUNCTION", "SUBSCRIPTINGREF",
    };

    private static readonly HashSet<string> FunctionFields = new(StringComparer.Ordinal) { "funcid", "aggfnoid", "winfnoid" };
    private static readonly HashSet<string> InRangeFields = new(StringComparer.Ordinal) { "startInRangeFunc", "endInRangeFunc" };
    private static readonly HashSet<string> OperatorFields = new(StringComparer.Ordinal) { "opno", "opnos", "eqop", "sortop" };

    // Set only by the planner; a parse tree that carries them is not one this reader understands.
    private static readonly HashSet<string> PlannerOnlyFunctionFields = new(StringComparer.Ordinal) { "hashfuncid", "negfuncid" };

    // Fields whose names look like a function's or a type's but hold flags, enums, counts or names.
    private static readonly HashSet<string> NotOids = new(StringComparer.OrdinalIgnoreCase)
    {
        "funcretset", "funcvariadic", "funcformat", "funccollid", "funcordinality", "functions",
        "funccolcount", "funccolnames", "funccoltypmods", "funccolcollations", "funcparams", "funcexpr",
        "rctype", "nulltesttype", "booltesttype", "subLinkType", "jointype", "commandType",
    };

    public static ParseTreeFacts Of(IEnumerable<ParseNode> roots)
    {
        var facts = new ParseTreeFacts();
        foreach (var root in roots)
        {
            facts.Visit(root);
        }

        return facts;
    }

    private void Visit(ParseNode node)
    {
        if (!AllowedNodes.Contains(node.Name))
        {
            Unrecognised.Add(node.Name);
        }

        long? opno = null;
        long? opfuncid = null;
        foreach (var (field, value) in node.Fields)
        {
            var numbers = ParseNode.NumbersIn(value).Where(n => n != 0).ToList();
            if (FunctionFields.Contains(field))
            {
                Functions.AddRange(numbers);
            }
            else if (InRangeFields.Contains(field))
            {
                InRangeFunctions.AddRange(numbers);
            }
            else if (OperatorFields.Contains(field))
            {
                Operators.AddRange(numbers);
                if (field == "opno" && numbers.Count == 1)
                {
                    opno = numbers[0];
                }
            }
            else if (field == "opfuncid")
            {
                opfuncid = numbers.Count == 1 ? numbers[0] : null;
            }
            else if (field == "relid")
            {
                Relations.AddRange(numbers);
            }
            else if (PlannerOnlyFunctionFields.Contains(field))
            {
                if (numbers.Count > 0)
                {
                    Unrecognised.Add($"{node.Name}.{field}");
                }
            }
            else if (NotOids.Contains(field))
            {
                // Flags, enums, counts and names: nothing to resolve.
            }
            else if (node.Name == "SQLVALUEFUNCTION" && field == "type")
            {
                ValueFunctionTypes.AddRange(numbers);
            }
            else if (IsTypeField(field))
            {
                Types.AddRange(numbers);
            }
            else if (LooksLikeFunction(field) && numbers.Count > 0)
            {
                Unrecognised.Add($"{node.Name}.{field}");
            }

            foreach (var child in Children(value))
            {
                Visit(child);
            }
        }

        if (opfuncid is { } function && opno is { } op)
        {
            OperatorFunctions.Add((op, function));
        }
        else if (opfuncid is not null)
        {
            Unrecognised.Add($"{node.Name}.opfuncid");
        }
    }

    private static bool IsTypeField(string field)
    {
        var name = field.ToLowerInvariant();
        return name.EndsWith("type", StringComparison.Ordinal) || name.EndsWith("types", StringComparison.Ordinal)
            || name.EndsWith("typeid", StringComparison.Ordinal) || name.EndsWith("typid", StringComparison.Ordinal);
    }

    private static bool LooksLikeFunction(string field)
    {
        var name = field.ToLowerInvariant();
        return name.Contains("func", StringComparison.Ordinal) || name.Contains("fnoid", StringComparison.Ordinal)
            || name.Contains("handler", StringComparison.Ordinal) || name.EndsWith("proc", StringComparison.Ordinal);
    }

    private static IEnumerable<ParseNode> Children(IEnumerable<object> items)
    {
        foreach (var item in items)
        {
            if (item is ParseNode node)
            {
                yield return node;
            }
            else if (item is ParseList list)
            {
                foreach (var inner in Children(list.Items))
                {
                    yield return inner;
                }
            }
        }
    }
}
