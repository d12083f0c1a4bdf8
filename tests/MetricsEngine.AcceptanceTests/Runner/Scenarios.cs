namespace MetricsEngine.AcceptanceTests.Runner;

public sealed record FeatureInfo(string Title, string Description, IReadOnlyList<string> Tags, string FilePath);

/// <summary>One runnable scenario: a plain scenario, or one Examples row of an outline, with the Background's steps first.</summary>
public sealed record ScenarioCase(
    FeatureInfo Feature,
    string Title,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ScenarioStep> Steps,
    string Location,
    string? Defect = null)
{
    /// <summary>Feature and scenario, so a failing test names both.</summary>
    public string Name => $"{Feature.Title}: {Title}";

    /// <summary>The feature's tags and the scenario's own, as Reqnroll's ScenarioInfo.CombinedTags.</summary>
    public IReadOnlyList<string> CombinedTags => [.. Feature.Tags.Concat(Tags).Distinct()];

    public override string ToString() => Name;
}

/// <summary>A step with its keyword resolved: And, But and * take the kind of the step before them.</summary>
public sealed record ScenarioStep(StepKind Kind, string Keyword, string Text, DataTable? Table, DocString? DocString, string Location)
{
    public override string ToString() => $"{Keyword.Trim()} {Text} ({Location})";
}

/// <summary>
/// A step's doc string and its media type (the word after the opening quotes). A binding takes it
/// as a <c>DocString</c> or, as Reqnroll passes it, as a plain <c>string</c>.
/// </summary>
public sealed record DocString(string Content, string? MediaType);
