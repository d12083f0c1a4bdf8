using System.Text;
using MetricsEngine.Application.Imports;

namespace MetricsEngine.Infrastructure.Importing;

/// <summary>Opens import files, turning "cannot open" into a message that names the file and the cause.</summary>
internal static class SourceFiles
{
    private const int BufferSize = 1 << 16;

    public static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportFileException(path, $"the file cannot be opened ({e.Message}).", e);
        }
    }

    public static StreamReader OpenText(string path) =>
        new(OpenRead(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, BufferSize);
}
