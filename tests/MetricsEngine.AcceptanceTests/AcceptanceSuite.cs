using MetricsEngine.AcceptanceTests.Runner;
using MetricsEngine.AcceptanceTests.Steps;

namespace MetricsEngine.AcceptanceTests;

/// <summary>
/// Every scenario of Features/*.feature as an NUnit test named "Feature: Scenario". The bindings
/// are the [Binding] classes of the Steps namespace (the runner's own tests bring theirs).
/// </summary>
public sealed class AcceptanceSuite
{
    private static readonly StepBindings Bindings = StepBindings.From(
        typeof(Conversation).Assembly.GetTypes().Where(t => t.Namespace == typeof(Conversation).Namespace));

    private ScenarioRunner _runner = null!;

    public static IEnumerable<TestCaseData> Scenarios() =>
        FeatureFiles.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "Features"))
            .Select(scenario => new TestCaseData(scenario).SetName(scenario.Name));

    [OneTimeSetUp]
    public void CreateRunner() => _runner = new ScenarioRunner(Bindings);

    [OneTimeTearDown]
    public async Task EndLastFeature() => await _runner.DisposeAsync();

    [TestCaseSource(nameof(Scenarios))]
    public async Task Scenario(ScenarioCase scenario) => await _runner.RunAsync(scenario, TestContext.Out);
}
