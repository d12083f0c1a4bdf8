using System.ComponentModel.DataAnnotations;

namespace MetricsEngine.Infrastructure.QueryGeneration;

/// <summary>Which generator turns prompts into SQL (configuration section <c>QueryGeneration</c>).</summary>
public sealed class QueryGenerationOptions
{
    public const string SectionName = "QueryGeneration";
    public const string Rules = "rules";
    public const string Llm = "llm";

    /// <summary><c>rules</c> (default: deterministic, offline) or <c>llm</c> (an OpenAI-compatible endpoint).</summary>
    [RegularExpression("^(rules|llm)$", ErrorMessage = "QueryGeneration__Provider must be 'rules' or 'llm'.")]
    public string Provider { get; set; } = Rules;
}

/// <summary>An OpenAI-compatible chat-completions endpoint (configuration section <c>Llm</c>).</summary>
public sealed class LlmOptions
{
    public const string SectionName = "Llm";

    /// <summary>Base URL, e.g. <c>https://api.openai.com/v1</c>; <c>chat/completions</c> is appended.</summary>
    public Uri? Endpoint { get; set; }

    public string? Model { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Per attempt.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 20;

    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;
}
