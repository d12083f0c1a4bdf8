using System.Buffers;
using System.Globalization;
using System.Text;
using Serilog.Events;
using Serilog.Formatting;

namespace MetricsEngine.Web.Logging;

/// <summary>
/// Readable text for a developer's terminal, through a Serilog text formatter. Its cost does not
/// matter as the JSON lines' does: it is not the format deployed instances write.
/// </summary>
internal sealed class TextLines(ITextFormatter formatter) : ILogLineFormat
{
    public void Write(LogEvent logEvent, IBufferWriter<byte> output)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        formatter.Format(logEvent, text);
        Encoding.UTF8.GetBytes(text.ToString(), output);
    }
}
