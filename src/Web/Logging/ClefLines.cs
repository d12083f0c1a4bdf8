using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace MetricsEngine.Web.Logging;

/// <summary>
/// Log events as JSON lines in the compact log event format (CLEF) that Serilog's
/// <c>RenderedCompactJsonFormatter</c> writes and log shippers read: <c>@t</c>, <c>@m</c> (the
/// rendered message), <c>@i</c> (the template's event id), <c>@l</c> when not Information,
/// <c>@x</c>, <c>@tr</c>/<c>@sp</c>, then the properties, a name starting with <c>@</c> escaped as
/// <c>@@</c>. Written straight to UTF-8 through one reused <see cref="Utf8JsonWriter"/>: at two lines
/// per request Serilog's formatter (through a <see cref="TextWriter"/>, boxing and a string per
/// value, and hashing the template on every event) cost the background writer a fifth of a core at
/// 25,000 requests a second (docs/adr/logging.md). Strings in the message are rendered as they are,
/// not quoted (<c>HTTP GET /metrics/… responded 200</c>), as in the text format. Not thread-safe:
/// only the console sink's one writer uses it, under the sink's lock.
/// </summary>
internal sealed class ClefLines : ILogLineFormat
{
    // Templates and property names are constants in practice; the bound keeps ones built from data
    // from growing memory.
    private const int MaxRemembered = 1_000;

    private static readonly JsonWriterOptions Options = new()
    {
        // Control characters, quotes and backslashes are still escaped, so an event stays one
        // line whatever its values hold; other text is kept readable (no \u escapes for "/" or é).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("@t");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("@m");
    private static readonly JsonEncodedText EventIdName = JsonEncodedText.Encode("@i");

    private readonly Dictionary<string, string> _eventIds = new(StringComparer.Ordinal);

    // Property names repeat on every line; encoding each once saves transcoding and escaping them per event.
    private readonly Dictionary<string, JsonEncodedText> _names = new(StringComparer.Ordinal);
    private readonly MessageBuffer _message = new();
    private Utf8JsonWriter? _json;

    public void Write(LogEvent logEvent, IBufferWriter<byte> output)
    {
        var json = _json ??= new Utf8JsonWriter(output, Options);
        json.Reset(output);

        json.WriteStartObject();
        json.WriteString(Timestamp, logEvent.Timestamp.UtcDateTime);
        json.WriteString(Message, _message.Render(logEvent));
        json.WriteString(EventIdName, EventId(logEvent.MessageTemplate.Text));
        if (logEvent.Level != LogEventLevel.Information)
        {
            json.WriteString("@l", LevelName(logEvent.Level));
        }

        if (logEvent.Exception is { } exception)
        {
            json.WriteString("@x", exception.ToString());
        }

        if (logEvent.TraceId is { } traceId)
        {
            Span<byte> bytes = stackalloc byte[16];
            Span<char> hex = stackalloc char[32];
            traceId.CopyTo(bytes);
            Convert.TryToHexStringLower(bytes, hex, out _);
            json.WriteString("@tr", hex);
        }

        if (logEvent.SpanId is { } spanId)
        {
            Span<byte> bytes = stackalloc byte[8];
            Span<char> hex = stackalloc char[16];
            spanId.CopyTo(bytes);
            Convert.TryToHexStringLower(bytes, hex, out _);
            json.WriteString("@sp", hex);
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            json.WritePropertyName(PropertyName(name));
            WriteValue(json, value);
        }

        json.WriteEndObject();
        json.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    private string EventId(string template) =>
        Remembered(_eventIds, template, static text => EventIdHash.Compute(text).ToString("x8", CultureInfo.InvariantCulture));

    private JsonEncodedText PropertyName(string name) =>
        Remembered(_names, name, static text => JsonEncodedText.Encode(text.StartsWith('@') ? "@" + text : text, Options.Encoder));

    private static TValue Remembered<TValue>(Dictionary<string, TValue> memory, string key, Func<string, TValue> make)
    {
        if (memory.TryGetValue(key, out var value))
        {
            return value;
        }

        value = make(key);
        if (memory.Count < MaxRemembered)
        {
            memory[key] = value;
        }

        return value;
    }

    private static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "Verbose",
        LogEventLevel.Debug => "Debug",
        LogEventLevel.Warning => "Warning",
        LogEventLevel.Error => "Error",
        LogEventLevel.Fatal => "Fatal",
        _ => "Information",
    };

    private static void WriteValue(Utf8JsonWriter json, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue scalar:
                WriteScalar(json, scalar.Value);
                break;
            case SequenceValue sequence:
                json.WriteStartArray();
                foreach (var element in sequence.Elements)
                {
                    WriteValue(json, element);
                }

                json.WriteEndArray();
                break;
            case StructureValue structure:
                json.WriteStartObject();
                foreach (var property in structure.Properties)
                {
                    json.WritePropertyName(property.Name);
                    WriteValue(json, property.Value);
                }

                if (structure.TypeTag is { } type)
                {
                    json.WriteString("$type", type);
                }

                json.WriteEndObject();
                break;
            case DictionaryValue dictionary:
                json.WriteStartObject();
                foreach (var (key, element) in dictionary.Elements)
                {
                    json.WritePropertyName(Convert.ToString(key.Value, CultureInfo.InvariantCulture) ?? "null");
                    WriteValue(json, element);
                }

                json.WriteEndObject();
                break;
            default:
                json.WriteStringValue(value.ToString(null, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case decimal number:
                json.WriteNumberValue(number);
                break;
            case short or ushort or byte or sbyte or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong number:
                json.WriteNumberValue(number);
                break;
            case Guid guid:
                json.WriteStringValue(guid);
                break;
            case DateTime time:
                json.WriteStringValue(time);
                break;
            case DateTimeOffset time:
                json.WriteStringValue(time);
                break;
            case Enum:
                json.WriteStringValue(value.ToString());
                break;
            case IFormattable formattable:
                // Non-finite doubles ("NaN", "Infinity"), DateOnly, TimeSpan and the like: JSON has no
                // number for them, so they are strings, as Serilog writes them.
                json.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }

    /// <summary>The rendered message, built in one reused buffer.</summary>
    private sealed class MessageBuffer
    {
        private char[] _chars = new char[512];
        private int _length;

        public ReadOnlySpan<char> Render(LogEvent logEvent)
        {
            _length = 0;
            foreach (var token in logEvent.MessageTemplate.Tokens)
            {
                if (token is TextToken text)
                {
                    Append(text.Text);
                }
                else if (token is PropertyToken property)
                {
                    AppendProperty(property, logEvent.Properties);
                }
            }

            return _chars.AsSpan(0, _length);
        }

        private void AppendProperty(PropertyToken token, IReadOnlyDictionary<string, LogEventPropertyValue> properties)
        {
            if (!properties.TryGetValue(token.PropertyName, out var value))
            {
                Append(token.ToString());
                return;
            }

            switch (token.Alignment is null ? (value as ScalarValue)?.Value : null)
            {
                case string text when token.Format is null:
                    Append(text);
                    return;
                case ISpanFormattable formattable:
                    int written;
                    while (!formattable.TryFormat(_chars.AsSpan(_length), out written, token.Format, CultureInfo.InvariantCulture))
                    {
                        Grow(_chars.Length);
                    }

                    _length += written;
                    return;
                default:
                    using (var rendered = new StringWriter(CultureInfo.InvariantCulture))
                    {
                        token.Render(properties, rendered, CultureInfo.InvariantCulture);
                        Append(rendered.ToString());
                    }

                    return;
            }
        }

        private void Append(ReadOnlySpan<char> text)
        {
            if (_length + text.Length > _chars.Length)
            {
                Grow(text.Length);
            }

            text.CopyTo(_chars.AsSpan(_length));
            _length += text.Length;
        }

        private void Grow(int atLeast) => Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + atLeast));
    }
}
