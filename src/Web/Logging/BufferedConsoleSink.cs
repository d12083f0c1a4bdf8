using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace MetricsEngine.Web.Logging;

/// <summary>
/// Standard output through one 64 KiB buffer, flushed every 200 ms and when full. Behind the
/// asynchronous sink only its worker thread writes here; Serilog's console sink would instead make
/// a write system call per event through <see cref="Console.Out"/> (which also tracks the cursor
/// position of every line it writes), and at tens of thousands of events a second that worker
/// takes a core of its own from the requests. Works wherever stdout goes (a terminal, a pipe, the
/// journal's socket), since it writes to the inherited handle rather than opening a path.
/// </summary>
internal sealed class BufferedConsoleSink : ILogEventSink, IDisposable
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(200);

    private readonly ITextFormatter _formatter;
    private readonly StreamWriter _output;
    private readonly Timer _flush;
    private readonly Lock _lock = new();
    private bool _disposed;

    public BufferedConsoleSink(ITextFormatter formatter)
    {
        _formatter = formatter;
        _output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024)
        {
            AutoFlush = false,
        };
        _flush = new Timer(_ => Flush(), null, FlushEvery, FlushEvery);
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _formatter.Format(logEvent, _output);
            }
        }
    }

    /// <summary>
    /// Safe to call more than once: the host disposes the logger both as a service and through its
    /// logger provider, and a timer tick already under way may come after it.
    /// </summary>
    public void Dispose()
    {
        _flush.Dispose();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            FlushUnderLock();
            _disposed = true;
            _output.Dispose();
        }
    }

    private void Flush()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                FlushUnderLock();
            }
        }
    }

    private void FlushUnderLock()
    {
        try
        {
            _output.Flush();
        }
        catch (IOException)
        {
            // Nobody reads stdout any more (a closed pipe): there is nowhere to report it.
        }
    }
}
