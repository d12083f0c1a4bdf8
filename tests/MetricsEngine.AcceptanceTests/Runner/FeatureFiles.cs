using System.Text.RegularExpressions;
using Gherkin;
using Gherkin.Ast;

namespace MetricsEngine.AcceptanceTests.Runner;

/// <summary>
/// Turns .feature files into runnable scenarios: the Background's steps before each scenario's,
/// every Examples row of an outline as a scenario of its own with its &lt;placeholders&gt; filled in.
/// A file that cannot be parsed, or holds nothing runnable, becomes a scenario that fails.
/// </summary>
public static partial class FeatureFiles
{
    public static IEnumerable<ScenarioCase> LoadDirectory(string directory) =>
        Directory.EnumerateFiles(directory, "*.feature", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(path => Load(path, Path.GetRelativePath(directory, path)));

    public static IReadOnlyList<ScenarioCase> Load(string path, string displayPath) =>
        Parse(File.ReadAllText(path), displayPath);

    public static IReadOnlyList<ScenarioCase> Parse(string text, string displayPath)
    {
        GherkinDocument document;
        try
        {
            document = new Parser().Parse(new StringReader(text));
        }
        catch (ParserException e)
        {
            return [Broken(displayPath, $"{displayPath} could not be parsed: {e.Message}")];
        }

        if (document.Feature is not { } feature)
        {
            return [Broken(displayPath, $"{displayPath} has no Feature.")];
        }

        var info = new FeatureInfo(feature.Name, feature.Description?.Trim() ?? string.Empty, TagNames(feature.Tags), displayPath);
        var scenarios = Expand(info, feature.Children, background: []).ToList();
        return scenarios.Count > 0 ? scenarios : [Broken(displayPath, $"{displayPath} has no scenarios.") with { Feature = info }];
    }

    private static IEnumerable<ScenarioCase> Expand(FeatureInfo feature, IEnumerable<IHasLocation> children, IReadOnlyList<ScenarioStep> background)
    {
        var steps = background;
        foreach (var child in children)
        {
            switch (child)
            {
                case Background b:
                    steps = [.. background, .. Steps(feature, b.Steps, Substitute.None)];
                    break;
                case Rule rule:
                    foreach (var scenario in Expand(feature with { Tags = [.. feature.Tags, .. TagNames(rule.Tags)] }, rule.Children, steps))
                    {
                        yield return scenario;
                    }

                    break;
                case Scenario scenario:
                    foreach (var expanded in ExpandScenario(feature, scenario, steps))
                    {
                        yield return expanded;
                    }

                    break;
            }
        }
    }

    private static IEnumerable<ScenarioCase> ExpandScenario(FeatureInfo feature, Scenario scenario, IReadOnlyList<ScenarioStep> background)
    {
        var location = $"{feature.FilePath}:{scenario.Location.Line}";
        if (!scenario.Steps.Any())
        {
            // Background steps alone would pass and prove nothing about this scenario.
            yield return new ScenarioCase(feature, scenario.Name, TagNames(scenario.Tags), [], location,
                Defect: $"The scenario '{scenario.Name}' ({location}) has no steps, so it would test nothing.");
            yield break;
        }

        var examples = scenario.Examples.ToList();
        if (examples.Count == 0)
        {
            yield return new ScenarioCase(feature, scenario.Name, TagNames(scenario.Tags), [.. background, .. Steps(feature, scenario.Steps, Substitute.None)], location);
            yield break;
        }

        var rows = 0;
        foreach (var table in examples.Where(e => e.TableHeader is not null))
        {
            var header = table.TableHeader.Cells.Select(c => c.Value).ToList();
            foreach (var row in table.TableBody)
            {
                rows++;
                var values = row.Cells.Select(c => c.Value).ToList();
                var substitute = new Substitute(header.Zip(values).ToDictionary(p => p.First, p => p.Second));
                var title = substitute.Apply(scenario.Name);
                if (title == scenario.Name)
                {
                    // The title names no placeholder: the row's values keep the test names apart.
                    title = $"{scenario.Name} [{string.Join(", ", values)}]";
                }

                yield return new ScenarioCase(
                    feature,
                    title,
                    [.. TagNames(scenario.Tags), .. TagNames(table.Tags)],
                    [.. background, .. Steps(feature, scenario.Steps, substitute)],
                    $"{feature.FilePath}:{row.Location.Line}");
            }
        }

        if (rows == 0)
        {
            yield return new ScenarioCase(feature, scenario.Name, TagNames(scenario.Tags), [], location,
                Defect: $"The outline '{scenario.Name}' ({location}) has no Examples rows, so it would test nothing.");
        }
    }

    private static IEnumerable<ScenarioStep> Steps(FeatureInfo feature, IEnumerable<Step> steps, Substitute substitute)
    {
        var kind = StepKind.Given;
        foreach (var step in steps)
        {
            kind = step.KeywordType switch
            {
                StepKeywordType.Context => StepKind.Given,
                StepKeywordType.Action => StepKind.When,
                StepKeywordType.Outcome => StepKind.Then,
                _ => kind, // And, But, *: the kind of the step before.
            };
            var table = step.DataTable is { } data
                ? Table(data.Rows.Select(r => r.Cells.Select(c => substitute.Apply(c.Value)).ToList()).ToList())
                : null;
            var docString = step.DocString is { } doc
                ? new DocString(substitute.Apply(doc.Content), string.IsNullOrEmpty(doc.ContentType) ? null : doc.ContentType)
                : null;
            yield return new ScenarioStep(kind, step.Keyword, substitute.Apply(step.Text), table, docString, $"{feature.FilePath}:{step.Location.Line}");
        }
    }

    private static DataTable Table(List<List<string>> rows) => new(rows[0], rows.Skip(1));

    private static List<string> TagNames(IEnumerable<Tag> tags) => [.. tags.Select(t => t.Name.TrimStart('@'))];

    private static ScenarioCase Broken(string displayPath, string defect) =>
        new(new FeatureInfo(displayPath, string.Empty, [], displayPath), "(not runnable)", [], [], displayPath, defect);

    private sealed partial class Substitute(IReadOnlyDictionary<string, string> values)
    {
        public static readonly Substitute None = new(new Dictionary<string, string>());

        public string Apply(string text) => values.Count == 0
            ? text
            : Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

        [GeneratedRegex("<([^<>]+)>")]
        private static partial Regex Placeholder();
    }
}
