namespace MetricsEngine.Crosscutting.Errors;

/// <summary>
/// Recognises a technology-specific failure (a dropped database connection, say) and restates it
/// as an error the API understands, so outer layers never need to know the technology.
/// </summary>
public interface IExceptionTranslator
{
    MetricsEngineException? Translate(Exception exception);
}

public static class ExceptionTranslation
{
    /// <summary>The exception as the API should see it: translated when a translator knows it.</summary>
    public static Exception Translate(this IEnumerable<IExceptionTranslator> translators, Exception exception) =>
        exception is MetricsEngineException
            ? exception
            : translators.Select(t => t.Translate(exception)).FirstOrDefault(e => e is not null) ?? exception;
}
