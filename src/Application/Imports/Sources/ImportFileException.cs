namespace MetricsEngine.Application.Imports;

/// <summary>A file that is missing, unreadable, or not the format it should be.</summary>
public sealed class ImportFileException(string file, string reason, Exception? innerException = null)
    : Exception($"{file}: {reason}", innerException)
{
    public string File { get; } = file;
}
