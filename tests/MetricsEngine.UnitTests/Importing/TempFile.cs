using System.Text;

namespace MetricsEngine.UnitTests.Importing;

/// <summary>An import file written for one test and deleted after it.</summary>
internal sealed class TempFile : IDisposable
{
    private TempFile(string fullName) => FullName = fullName;

    public string FullName { get; }

    public static TempFile WithText(string text, bool byteOrderMark = false)
    {
        var file = new TempFile(Path.Combine(Path.GetTempPath(), $"metrics-engine-{Guid.NewGuid():N}.tmp"));
        File.WriteAllText(file.FullName, text, new UTF8Encoding(byteOrderMark));
        return file;
    }

    public void Dispose() => File.Delete(FullName);
}
