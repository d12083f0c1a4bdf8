using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace MetricsEngine.AcceptanceTests.Runner;

public sealed record StepBinding(StepKind Kind, string Expression, Regex Pattern, MethodInfo Method)
{
    public override string ToString() => $"[{Kind}(\"{Expression}\")] {Method.DeclaringType!.Name}.{Method.Name}";
}

public sealed record HookBinding(HookKind Kind, IReadOnlyList<string> Tags, int Order, MethodInfo Method)
{
    public bool AppliesTo(IReadOnlyList<string> tags) => Tags.Count == 0 || Tags.Any(t => tags.Contains(t.TrimStart('@')));
}

/// <summary>A step and the binding it matched, with the arguments for the method.</summary>
public sealed record StepMatch(ScenarioStep Step, StepBinding Binding, IReadOnlyList<object?> Arguments);

/// <summary>Every step and hook binding of the given [Binding] classes, and step matching.</summary>
public sealed partial class StepBindings
{
    private StepBindings(IReadOnlyList<StepBinding> steps, IReadOnlyList<HookBinding> hooks)
    {
        Steps = steps;
        Hooks = hooks;
    }

    public IReadOnlyList<StepBinding> Steps { get; }
    public IReadOnlyList<HookBinding> Hooks { get; }

    public static StepBindings From(IEnumerable<Type> types)
    {
        var methods = types
            .Where(t => t.GetCustomAttribute<BindingAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .ToList();
        var steps = methods
            .SelectMany(m => m.GetCustomAttributes<StepDefinitionBaseAttribute>().Select(a => new StepBinding(a.Kind, a.Expression, Compile(a.Expression), m)))
            .ToList();
        var hooks = methods
            .SelectMany(m => m.GetCustomAttributes<HookAttribute>().Select(a => new HookBinding(a.Kind, a.Tags, a.Order, m)))
            .OrderBy(h => h.Order)
            .ToList();
        return new StepBindings(steps, hooks);
    }

    public IEnumerable<HookBinding> HooksFor(HookKind kind, IReadOnlyList<string> tags) =>
        Hooks.Where(h => h.Kind == kind && h.AppliesTo(tags));

    /// <summary>The one binding of the step's kind whose pattern matches the whole text; otherwise why not.</summary>
    public StepMatch Match(ScenarioStep step)
    {
        var candidates = Steps
            .Where(b => b.Kind == step.Kind)
            .Select(b => (Binding: b, Match: b.Pattern.Match(step.Text)))
            .Where(c => c.Match.Success)
            .ToList();
        return candidates switch
        {
            [] => throw new StepBindingException($"Undefined step: {step}. No [{step.Kind}] binding matches \"{step.Text}\"."),
            [var only] => new StepMatch(step, only.Binding, Arguments(step, only.Binding, only.Match)),
            _ => throw new StepBindingException(
                $"Ambiguous step: {step} is matched by {candidates.Count} bindings: {string.Join("; ", candidates.Select(c => c.Binding))}."),
        };
    }

    private static List<object?> Arguments(ScenarioStep step, StepBinding binding, Match match)
    {
        var parameters = binding.Method.GetParameters();
        var captured = match.Groups.Cast<Group>().Skip(1).Select(g => g.Success ? g.Value : null).ToList();
        object? extra = step.Table is not null ? step.Table : step.DocString;
        var expected = captured.Count + (extra is null ? 0 : 1);
        if (parameters.Length != expected)
        {
            var what = extra switch { DataTable => " and a table", DocString => " and a doc string", _ => string.Empty };
            throw new StepBindingException(
                $"{binding} takes {parameters.Length} parameter(s) but {step} provides {captured.Count} captured value(s){what}.");
        }

        var arguments = new List<object?>();
        for (var i = 0; i < captured.Count; i++)
        {
            arguments.Add(Convert(captured[i], parameters[i], binding, step));
        }

        if (extra is not null)
        {
            var last = parameters[^1];
            if (extra is DocString doc && last.ParameterType == typeof(string))
            {
                extra = doc.Content;
            }

            if (!last.ParameterType.IsInstanceOfType(extra))
            {
                throw new StepBindingException($"{binding}: the last parameter '{last.Name}' must be a {extra.GetType().Name} for {step}.");
            }

            arguments.Add(extra);
        }

        return arguments;
    }

    private static object? Convert(string? value, ParameterInfo parameter, StepBinding binding, ScenarioStep step)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        try
        {
            return value switch
            {
                null => null,
                _ when type == typeof(string) => value,
                _ when type == typeof(Guid) => Guid.Parse(value, CultureInfo.InvariantCulture),
                _ when type.IsEnum => Enum.Parse(type, value, ignoreCase: true),
                _ => System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new StepBindingException($"{binding}: \"{value}\" in {step} is not a {type.Name} (parameter '{parameter.Name}').", e);
        }
    }

    /// <summary>Regular expressions are anchored; cucumber expressions become anchored regular expressions.</summary>
    public static Regex Compile(string expression)
    {
        if (expression.StartsWith('^') || expression.EndsWith('$'))
        {
            return new Regex($"^(?:{expression.TrimStart('^').TrimEnd('$')})$", RegexOptions.CultureInvariant);
        }

        var pattern = new StringBuilder("^");
        foreach (Match token in CucumberToken().Matches(expression))
        {
            pattern.Append(token.Value switch
            {
                "{int}" => @"(-?\d+)",
                "{float}" => @"(-?\d*\.?\d+)",
                "{word}" => @"([^\s]+)",
                "{string}" => "\"([^\"]*)\"",
                "{}" => "(.*)",
                ['{', ..] => throw new ArgumentException($"Unknown parameter type {token.Value} in \"{expression}\".", nameof(expression)),
                ['(', .., ')'] => $"(?:{Regex.Escape(token.Value[1..^1])})?",
                ['\\', var escaped] => Regex.Escape(escaped.ToString()),
                _ => Regex.Escape(token.Value),
            });
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    [GeneratedRegex(@"\{[^{}]*\}|\([^()]*\)|\\.|[^{(\\]+|.")]
    private static partial Regex CucumberToken();
}

/// <summary>A step that no binding, or more than one, can run; or a binding that cannot take the step's values.</summary>
public sealed class StepBindingException(string message, Exception? inner = null) : Exception(message, inner);
