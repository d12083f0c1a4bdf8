namespace MetricsEngine.AcceptanceTests.Runner;

// The attribute names and shapes are Reqnroll's, so that moving the suite to Reqnroll (once the
// package source carries it) means swapping this namespace for `using Reqnroll;`.

/// <summary>Marks a class whose methods bind Gherkin steps or hooks. One instance per scenario.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class BindingAttribute : Attribute;

/// <summary>
/// A step pattern: a regular expression when it starts with <c>^</c> or ends with <c>$</c>,
/// otherwise a cucumber expression (<c>{int}</c>, <c>{float}</c>, <c>{word}</c>, <c>{string}</c>,
/// <c>{}</c>, optional text in parentheses). Either way it must match the whole step text.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public abstract class StepDefinitionBaseAttribute(StepKind kind, string expression) : Attribute
{
    public StepKind Kind { get; } = kind;
    public string Expression { get; } = expression;
}

public sealed class GivenAttribute(string expression) : StepDefinitionBaseAttribute(StepKind.Given, expression);

public sealed class WhenAttribute(string expression) : StepDefinitionBaseAttribute(StepKind.When, expression);

public sealed class ThenAttribute(string expression) : StepDefinitionBaseAttribute(StepKind.Then, expression);

/// <summary>A hook, run only for features or scenarios carrying one of <see cref="Tags"/> when any are given.</summary>
[AttributeUsage(AttributeTargets.Method)]
public abstract class HookAttribute(HookKind kind, string[] tags) : Attribute
{
    public HookKind Kind { get; } = kind;
    public IReadOnlyList<string> Tags { get; } = tags;

    /// <summary>Lower runs first; Reqnroll's default is 10000.</summary>
    public int Order { get; set; } = 10_000;
}

/// <summary>Runs once before the first scenario of a feature; the method must be static.</summary>
public sealed class BeforeFeatureAttribute(params string[] tags) : HookAttribute(HookKind.BeforeFeature, tags);

/// <summary>Runs once after the last scenario of a feature; the method must be static.</summary>
public sealed class AfterFeatureAttribute(params string[] tags) : HookAttribute(HookKind.AfterFeature, tags);

public sealed class BeforeScenarioAttribute(params string[] tags) : HookAttribute(HookKind.BeforeScenario, tags);

/// <summary>Runs after every scenario, also one whose steps failed.</summary>
public sealed class AfterScenarioAttribute(params string[] tags) : HookAttribute(HookKind.AfterScenario, tags);

public enum StepKind
{
    Given,
    When,
    Then,
}

public enum HookKind
{
    BeforeFeature,
    AfterFeature,
    BeforeScenario,
    AfterScenario,
}
