using System.Buffers;
using Serilog.Events;

namespace MetricsEngine.Web.Logging;

/// <summary>How the console sink turns an event into one line of UTF-8 output.</summary>
internal interface ILogLineFormat
{
    void Write(LogEvent logEvent, IBufferWriter<byte> output);
}
