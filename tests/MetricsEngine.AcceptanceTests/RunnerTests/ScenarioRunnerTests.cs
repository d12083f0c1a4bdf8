using MetricsEngine.AcceptanceTests.Runner;

namespace MetricsEngine.AcceptanceTests.RunnerTests;

/// <summary>The runner against small features and the sample bindings, no API involved.</summary>
public sealed class ScenarioRunnerTests
{
    private static readonly StepBindings Bindings = StepBindings.From([typeof(SampleSteps), typeof(OtherSteps)]);

    private ScenarioRunner _runner = null!;
    private StringWriter _log = null!;

    [SetUp]
    public void CreateRunner()
    {
        Journal.Lines.Clear();
        _runner = new ScenarioRunner(Bindings);
        _log = new StringWriter();
    }

    [TearDown]
    public async Task EndFeature()
    {
        await _runner.DisposeAsync();
        _log.Dispose();
    }

    [Test]
    public async Task A_scenario_whose_steps_all_pass_passes_and_async_steps_are_awaited()
    {
        var scenario = Single("""
            Feature: Counting
              Scenario: Adding
                Given a counter at 2
                When I add 3
                Then the counter is 5
                And the other class sees 5
            """);

        await _runner.RunAsync(scenario, _log);

        _log.ToString().ShouldContain("✓ And the other class sees 5 (test.feature:6)");
    }

    [Test]
    public async Task An_undefined_step_fails_the_scenario_with_its_text_and_location_and_nothing_runs()
    {
        var scenario = Single("""
            Feature: Counting
              Scenario: Unknown words
                When I note it
                Then the counter is purple
            """);

        var failure = await Should.ThrowAsync<ScenarioFailedException>(() => _runner.RunAsync(scenario, _log));

        failure.Message.ShouldContain("Undefined step: Then the counter is purple (test.feature:4)");
        Journal.Lines.ShouldNotContain(l => l.StartsWith("noted", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_step_matched_by_two_bindings_is_ambiguous_and_fails_naming_both()
    {
        var scenario = Single("""
            Feature: Matching
              Scenario: Twice
                Given a step that anything matches
            """);

        var failure = await Should.ThrowAsync<ScenarioFailedException>(() => _runner.RunAsync(scenario, _log));

        failure.Message.ShouldContain("Ambiguous step: Given a step that anything matches (test.feature:3)");
        failure.Message.ShouldContain("SampleSteps.AnythingMatchesOne");
        failure.Message.ShouldContain("SampleSteps.AnythingMatchesTwo");
    }

    [Test]
    public async Task A_step_of_another_kind_does_not_match()
    {
        var scenario = Single("""
            Feature: Kinds
              Scenario: Given is not When
                Given I add 3
            """);

        var failure = await Should.ThrowAsync<ScenarioFailedException>(() => _runner.RunAsync(scenario, _log));

        failure.Message.ShouldContain("No [Given] binding matches \"I add 3\"");
    }

    [Test]
    public async Task After_a_failing_step_the_rest_are_skipped_and_the_failure_names_the_step()
    {
        var scenario = Single("""
            Feature: Failing
              Scenario: Boom
                Given a step that fails
                When I note it
            """);

        var failure = await Should.ThrowAsync<ScenarioFailedException>(() => _runner.RunAsync(scenario, _log));

        failure.Message.ShouldStartWith("Step failed: Given a step that fails (test.feature:3)\nboom");
        failure.InnerException.ShouldBeOfType<InvalidOperationException>();
        Journal.Lines.ShouldNotContain("noted 0");
        _log.ToString().ShouldContain("- When I note it (test.feature:4) (skipped)");
    }

    [Test]
    public async Task A_failing_assertion_fails_the_scenario()
    {
        var scenario = Single("""
            Feature: Counting
              Scenario: Wrong sum
                Given a counter at 2
                When I add 3
                Then the counter is 6
            """);

        var failure = await Should.ThrowAsync<ScenarioFailedException>(() => _runner.RunAsync(scenario, _log));

        failure.InnerException.ShouldBeOfType<ShouldAssertException>();
    }

    [TestCase("")]
    [TestCase("  Background:\n    Given a counter at 1\n")]
    public async Task A_scenario_without_steps_of_its_own_fails(string background)
    {
        var scenario = Single($"Feature: Empty\n{background}  Scenario: Nothing to do\n");

        var failure = await Should.ThrowAsync<ScenarioFailedException>(() => _runner.RunAsync(scenario, _log));

        failure.Message.ShouldBe("The scenario 'Nothing to do' (test.feature:" + (background.Length == 0 ? "2" : "4") + ") has no steps, so it would test nothing.");
    }

    [Test]
    public async Task A_feature_without_scenarios_fails()
    {
        var scenario = Single("Feature: Nothing here\n");

        var failure = await Should.ThrowAsync<ScenarioFailedException>(() => _runner.RunAsync(scenario, _log));

        failure.Message.ShouldBe("test.feature has no scenarios.");
    }

    [Test]
    public void An_outline_expands_into_one_scenario_per_examples_row_with_placeholders_filled_in()
    {
        var scenarios = FeatureFiles.Parse("""
            Feature: Outlines
              Background:
                Given a counter at 1

              Scenario Outline: Adding <amount>
                When I add <amount>
                Then the counter is <total>
                And the table:
                  | name   | value    |
                  | amount | <amount> |
                And the text:
                  '''
                  total <total>
                  '''

                Examples:
                  | amount | total |
                  | 2      | 3     |
                  | 5      | 6     |
            """.Replace("'''", "\"\"\"", StringComparison.Ordinal), "test.feature");

        scenarios.Select(s => s.Name).ShouldBe(["Outlines: Adding 2", "Outlines: Adding 5"]);
        scenarios[1].Steps.Select(s => $"{s.Kind} {s.Text}").ShouldBe(
            ["Given a counter at 1", "When I add 5", "Then the counter is 6", "Then the table:", "Then the text:"]);
        scenarios[1].Steps[3].Table!.Rows[0]["value"].ShouldBe("5");
        scenarios[1].Steps[4].DocString.ShouldBe(new DocString("total 6", null));
        scenarios[1].Location.ShouldBe("test.feature:19");
    }

    [Test]
    public void An_outline_whose_title_has_no_placeholder_is_named_after_the_rows_values()
    {
        var scenarios = FeatureFiles.Parse("""
            Feature: Outlines
              Scenario Outline: Adding
                When I add <amount>

                Examples:
                  | amount |
                  | 2      |
                  | 5      |
            """, "test.feature");

        scenarios.Select(s => s.Name).ShouldBe(["Outlines: Adding [2]", "Outlines: Adding [5]"]);
    }

    [Test]
    public async Task An_outline_without_examples_fails_rather_than_vanishing()
    {
        var scenario = Single("""
            Feature: Outlines
              Scenario Outline: Adding
                When I add <amount>

                Examples:
                  | amount |
            """);

        var failure = await Should.ThrowAsync<ScenarioFailedException>(() => _runner.RunAsync(scenario, _log));

        failure.Message.ShouldContain("has no Examples rows");
    }

    [Test]
    public async Task A_file_that_is_not_gherkin_becomes_a_failing_scenario()
    {
        var scenario = Single("""
            Feature: Broken
              Scenario: One
                Given a counter at 1
              | a | b |
              This line is not Gherkin
            """);

        var failure = await Should.ThrowAsync<ScenarioFailedException>(() => _runner.RunAsync(scenario, _log));

        failure.Message.ShouldStartWith("test.feature could not be parsed");
    }

    [Test]
    public async Task Tables_and_doc_strings_arrive_as_the_last_parameter()
    {
        var scenario = Single("""
            Feature: Arguments
              Scenario: Both
                Given the table:
                  | name | value |
                  | a    | 1     |
                  | b    | 2     |
                And the text:
                  '''
                  line one
                  line two
                  '''
                And the typed text:
                  '''json
                  { "a": 1 }
                  '''
                Then the word is "done"
            """.Replace("'''", "\"\"\"", StringComparison.Ordinal));

        await _runner.RunAsync(scenario, _log);

        Journal.Lines.ShouldBe(["before feature Arguments", "a=1;b=2", "line one\nline two", "json: { \"a\": 1 }", "word done"]);
    }

    [Test]
    public async Task Each_scenario_gets_fresh_context_objects_and_features_start_and_end_once()
    {
        var first = FeatureFiles.Parse("""
            Feature: First
              Scenario: One
                Given a counter at 7
                When I note it

              @tagged
              Scenario: Two
                When I note it
            """, "first.feature");
        var second = Single("""
            Feature: Second
              Scenario: Three
                When I note it
            """);

        foreach (var scenario in first.Append(second))
        {
            await _runner.RunAsync(scenario, _log);
        }

        Journal.Lines.ShouldBe(
        [
            "before feature First", "noted 7", "noted 0", "after tagged scenario",
            "after feature First", "before feature Second", "noted 0",
        ]);
    }

    [TestCase("the counter is {int}", "the counter is -12", true)]
    [TestCase("the counter is {int}", "the counter is 12 or so", false)]
    [TestCase("the title is {string}", "the title is \"Alerts (2)\"", true)]
    [TestCase("I have {int} cucumber(s)", "I have 1 cucumber", true)]
    [TestCase("I have {int} cucumber(s)", "I have 2 cucumbers", true)]
    [TestCase("a dot. and a \\{brace}", "a dot. and a {brace}", true)]
    [TestCase("a dot.", "a dotx", false)]
    [TestCase("^the (\\d+)(?:st|nd) row$", "the 2nd row", true)]
    public void Cucumber_expressions_and_regular_expressions_match_the_whole_text(string expression, string text, bool matches)
    {
        StepBindings.Compile(expression).IsMatch(text).ShouldBe(matches);
    }

    private static ScenarioCase Single(string feature) => FeatureFiles.Parse(feature, "test.feature").ShouldHaveSingleItem();
}
