using System.Buffers;
using Serilog.Core;
using Serilog.Events;

namespace MetricsEngine.Web.Logging;

/// <summary>
/// Standard output (or error) through one 64 KiB buffer, flushed every 200 ms and when full, or
/// after every event for the verbs, whose output must be complete when they exit. Behind the
/// asynchronous sink only its worker thread writes here; Serilog's console sink would instead make
/// a write system call per event through <see cref="Console.Out"/> (which also tracks the cursor
/// position of every line it writes), and at tens of thousands of events a second that worker
/// takes a core of its own from the requests. Works wherever the output goes (a terminal, a pipe,
/// the journal's socket), since it writes to the inherited handle rather than opening a path.
/// </summary>
internal sealed class BufferedConsoleSink : ILogEventSink, IDisposable
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(200);

    private readonly ILogLineFormat _format;
    private readonly Stream _output;
    private readonly bool _flushEachEvent;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Timer? _flush;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="format">What a line looks like.</param>
    /// <param name="output">Standard output or error, as <see cref="Console.OpenStandardOutput()"/> returns it.</param>
    /// <param name="flushEachEvent">Write each event at once (a verb's stderr) rather than every 200 ms.</param>
    public BufferedConsoleSink(ILogLineFormat format, Stream output, bool flushEachEvent = false)
    {
        _format = format;
        _flushEachEvent = flushEachEvent;
        _output = new BufferedStream(output, 64 * 1024);
        _flush = flushEachEvent ? null : new Timer(_ => Flush(), null, FlushEvery, FlushEvery);
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _line.ResetWrittenCount();
            _format.Write(logEvent, _line);
            try
            {
                _output.Write(_line.WrittenSpan);
                if (_flushEachEvent)
                {
                    _output.Flush();
                }
            }
            catch (IOException)
            {
                // Nobody reads the output any more (a closed pipe): there is nowhere to report it.
            }
        }
    }

    /// <summary>
    /// Safe to call more than once: the host disposes the logger both as a service and through its
    /// logger provider, and a timer tick already under way may come after it.
    /// </summary>
    public void Dispose()
    {
        _flush?.Dispose();
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
            // As above: a closed pipe.
        }
    }
}
