using TechTalk.SpecFlow;

namespace MetricsEngine.AcceptanceTests.SuiteChecks;

/// <summary>
/// Two bindings for one step, scoped to the scenario that checks ambiguity, so no feature about
/// the API can reach them.
/// </summary>
[Binding]
[Scope(Tag = ExpectedFailuresAttribute.AmbiguousStep)]
public sealed class AmbiguousBindings
{
    [Given("a step that two bindings match")]
    public static void One() => throw new InvalidOperationException("An ambiguous step must not run either binding.");

    [Given("a step that (.+) bindings match")]
    public static void Another(string count) => throw new InvalidOperationException($"An ambiguous step must not run either binding ({count}).");
}
