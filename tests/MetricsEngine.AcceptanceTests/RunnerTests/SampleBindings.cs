using MetricsEngine.AcceptanceTests.Runner;

namespace MetricsEngine.AcceptanceTests.RunnerTests;

/// <summary>What the sample bindings did, in order; the runner's tests read it.</summary>
public static class Journal
{
    public static List<string> Lines { get; } = [];
}

/// <summary>Shared by the binding classes of one scenario through their constructors.</summary>
public sealed class Counter
{
    public int Value { get; set; }
}

[Binding]
public sealed class SampleSteps(Counter counter)
{
    [Given("a counter at {int}")]
    public void CounterAt(int value) => counter.Value = value;

    [When("I add {int}")]
    public async Task Add(int amount)
    {
        // A real await: the runner must wait for the step, not just start it.
        await Task.Delay(10);
        counter.Value += amount;
    }

    [Then("the counter is {int}")]
    public void CounterIs(int expected) => counter.Value.ShouldBe(expected);

    [Then("^the word is \"(\\w+)\"$")]
    public static void WordIs(string word) => Journal.Lines.Add($"word {word}");

    [Given("the table:")]
    public static void Table(DataTable table) => Journal.Lines.Add(string.Join(";", table.Rows.Select(r => $"{r["name"]}={r["value"]}")));

    [Given("the text:")]
    public static void Text(string text) => Journal.Lines.Add(text);

    [Given("the typed text:")]
    public static void TypedText(DocString text) => Journal.Lines.Add($"{text.MediaType}: {text.Content}");

    [Given("a step that fails")]
    public static void Fails() => throw new InvalidOperationException("boom");

    [Given("a step that anything matches")]
    public static void AnythingMatchesOne() => Journal.Lines.Add("one");

    [Given("a step that {word} matches")]
    public static void AnythingMatchesTwo(string word) => Journal.Lines.Add(word);

    [When("I note it")]
    public void NoteIt() => Journal.Lines.Add($"noted {counter.Value}");

    [BeforeFeature]
    public static void BeforeFeature(FeatureContext feature) => Journal.Lines.Add($"before feature {feature.FeatureInfo.Title}");

    [AfterFeature]
    public static void AfterFeature(FeatureContext feature) => Journal.Lines.Add($"after feature {feature.FeatureInfo.Title}");

    [AfterScenario("tagged")]
    public static void AfterTaggedScenario() => Journal.Lines.Add("after tagged scenario");
}

/// <summary>A second class in the same scenario: it must see the same <see cref="Counter"/>.</summary>
[Binding]
public sealed class OtherSteps(Counter counter)
{
    [Then("the other class sees {int}")]
    public void OtherSees(int expected) => counter.Value.ShouldBe(expected);
}
