using System.Globalization;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.Parameters;

/// <summary>
/// The date filters the caller gave, null for each it did not: read from its text by the edge,
/// which refuses a <see cref="DayRange"/> outside 0 to <see cref="MaxDayRange"/>.
/// </summary>
public sealed record RequestedParameters(DateOnly? StartDate, DateOnly? EndDate, int? DayRange, DateOnly? AsOf)
{
    /// <summary>The longest rolling window, in days (a century): longer ones are refused, not clamped.</summary>
    public const int MaxDayRange = 36_500;

    public static readonly RequestedParameters None = new(null, null, null, null);

    public object? ValueOf(string name) => name switch
    {
        QueryParameterNames.StartDate => StartDate,
        QueryParameterNames.EndDate => EndDate,
        QueryParameterNames.DayRange => DayRange,
        QueryParameterNames.AsOf => AsOf,
        _ => null,
    };
}

/// <summary>
/// How one filter was applied: <see cref="Applicable"/> is false when the query has no such filter
/// (the requested value, if any, was ignored). Values are <see cref="DateOnly"/> or <see cref="int"/>.
/// </summary>
public sealed record ParameterState(bool Applicable, object? Value, object? Default);

public sealed record BoundParameters(IReadOnlyList<SqlArgument> Arguments, IReadOnlyDictionary<string, ParameterState> States);

/// <summary>Combines a query's parameter defaults with the caller's values (docs/product.md#reading-a-metric).</summary>
public static class ParameterBinder
{
    public static BoundParameters Bind(IReadOnlyList<QueryParameter> definitions, RequestedParameters requested, DateOnly today)
    {
        var arguments = new List<SqlArgument>(definitions.Count);
        var states = new Dictionary<string, ParameterState>(QueryParameterNames.All.Count, StringComparer.Ordinal);
        foreach (var name in QueryParameterNames.All)
        {
            var requestedValue = requested.ValueOf(name);
            var definition = definitions.FirstOrDefault(p => p.Name == name);
            if (definition is null)
            {
                states[name] = new ParameterState(false, requestedValue, null);
                continue;
            }

            var defaultValue = DefaultOf(definition, today);
            var value = requestedValue ?? defaultValue;
            states[name] = new ParameterState(true, value, defaultValue);
            arguments.Add(new SqlArgument(name, value));
        }

        // A query whose own literal window is backwards simply returns nothing, as its SQL does;
        // only a window the caller moved is held to start <= end.
        if ((requested.StartDate is not null || requested.EndDate is not null)
            && states[QueryParameterNames.StartDate] is { Applicable: true, Value: DateOnly start }
            && states[QueryParameterNames.EndDate] is { Applicable: true, Value: DateOnly end }
            && start > end)
        {
            throw new RequestValidationException(QueryParameterNames.StartDate,
                string.Create(CultureInfo.InvariantCulture, $"start_date {start:yyyy-MM-dd} is after end_date {end:yyyy-MM-dd}."));
        }

        return new BoundParameters(arguments, states);
    }

    private static object DefaultOf(QueryParameter definition, DateOnly today) => definition switch
    {
        { Name: QueryParameterNames.AsOf, DefaultValue: null } => today,
        { Type: QueryParameterType.Integer } => int.Parse(definition.DefaultValue!, CultureInfo.InvariantCulture),
        _ => DateOnly.ParseExact(definition.DefaultValue!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
