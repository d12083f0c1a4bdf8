using MetricsEngine.Application.Imports;

namespace MetricsEngine.Infrastructure.Importing;

/// <summary>
/// What every file format shares: it reads local paths (anything that is not a URL of another
/// scheme), and a path is available when the file exists. Two formats for the same kind of
/// content would each narrow <see cref="Reads"/>, by extension say.
/// </summary>
internal abstract class FileImportSource
{
    public virtual bool Reads(string location) =>
        !Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.IsFile;

    public virtual void EnsureAvailable(string location)
    {
        if (!File.Exists(location))
        {
            throw new ImportFileException(location, "the file does not exist.");
        }
    }
}
