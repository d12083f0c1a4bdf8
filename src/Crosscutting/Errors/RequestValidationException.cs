namespace MetricsEngine.Crosscutting.Errors;

/// <summary>Malformed or inconsistent input, with the offending fields and what is wrong with each.</summary>
public sealed class RequestValidationException : MetricsEngineException
{
    public RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(Summarise(errors)) => Errors = errors;

    public RequestValidationException(string field, string error)
        : this(new Dictionary<string, string[]> { [field] = [error] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    public override ErrorKind Kind => ErrorKind.Validation;
    public override string Title => "Invalid request";

    private static string Summarise(IReadOnlyDictionary<string, string[]> errors) =>
        errors.Count == 1 && errors.First().Value.Length == 1
            ? errors.First().Value[0]
            : "One or more fields are invalid; see 'errors'.";
}
