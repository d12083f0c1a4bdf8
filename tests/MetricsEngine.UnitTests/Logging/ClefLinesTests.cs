using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using MetricsEngine.Web.Logging;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace MetricsEngine.UnitTests.Logging;

public sealed class ClefLinesTests
{
    private const string Completion = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    private static readonly DateTimeOffset At = new(2026, 12, 2, 7, 9, 52, 361, TimeSpan.Zero);

    [Test]
    public void A_line_carries_what_Serilogs_compact_format_carries_with_strings_in_the_message_unquoted()
    {
        var trace = ActivityTraceId.CreateRandom();
        var span = ActivitySpanId.CreateRandom();
        var logEvent = Event(Completion, LogEventLevel.Information, null, trace, span,
            ("RequestMethod", new ScalarValue("GET")),
            ("RequestPath", new ScalarValue("/metrics/b0000000-0000-4000-8000-000000000000")),
            ("StatusCode", new ScalarValue(200)),
            ("Elapsed", new ScalarValue(1.2345)),
            ("EventId", new StructureValue([new LogEventProperty("Id", new ScalarValue(1)), new LogEventProperty("Name", new ScalarValue("RequestCompleted"))])),
            ("Tags", new SequenceValue([new ScalarValue("a"), new ScalarValue(2)])));

        var ours = JsonNode.Parse(Write(logEvent))!.AsObject();
        var serilogs = JsonNode.Parse(Serilogs(logEvent))!.AsObject();

        ours["@m"]!.GetValue<string>().ShouldBe("HTTP GET /metrics/b0000000-0000-4000-8000-000000000000 responded 200 in 1.2 ms");
        ours["@t"]!.GetValue<DateTimeOffset>().ShouldBe(serilogs["@t"]!.GetValue<DateTimeOffset>());
        ours.Remove("@m");
        ours.Remove("@t");
        serilogs.Remove("@m");
        serilogs.Remove("@t");
        JsonNode.DeepEquals(ours, serilogs).ShouldBeTrue($"ours: {ours.ToJsonString()}\nSerilog's: {serilogs.ToJsonString()}");
        ours["@tr"]!.GetValue<string>().ShouldBe(trace.ToHexString());
        ours["@sp"]!.GetValue<string>().ShouldBe(span.ToHexString());
        ours["@i"]!.GetValue<string>().ShouldBe(EventIdHash.Compute(Completion).ToString("x8"));
    }

    [Test]
    public void A_level_other_than_information_an_exception_and_an_at_sign_name_are_written_as_the_format_says()
    {
        var logEvent = Event("Recomputing {MetricId} failed", LogEventLevel.Error, new InvalidOperationException("boom"), null, null,
            ("MetricId", new ScalarValue(Guid.Parse("c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11"))),
            ("@odd", new ScalarValue("x")));

        var line = JsonNode.Parse(Write(logEvent))!.AsObject();

        line["@l"]!.GetValue<string>().ShouldBe("Error");
        line["@x"]!.GetValue<string>().ShouldContain("InvalidOperationException: boom");
        line["@@odd"]!.GetValue<string>().ShouldBe("x");
        line["@m"]!.GetValue<string>().ShouldBe("Recomputing c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11 failed");
        line.ContainsKey("@tr").ShouldBeFalse();
    }

    [Test]
    public void Whatever_a_value_holds_an_event_stays_one_line()
    {
        var logEvent = Event("Asked {Title}", LogEventLevel.Information, null, null, null,
            ("Title", new ScalarValue("two\nlines \"quoted\" \u0000 é/ü")),
            ("Ratio", new ScalarValue(double.NaN)));

        var text = Write(logEvent);

        text.IndexOf('\n').ShouldBe(text.Length - 1);
        var line = JsonNode.Parse(text)!.AsObject();
        line["Title"]!.GetValue<string>().ShouldBe("two\nlines \"quoted\" \u0000 é/ü");
        line["@m"]!.GetValue<string>().ShouldBe("Asked two\nlines \"quoted\" \u0000 é/ü");
        line["Ratio"]!.GetValue<string>().ShouldBe("NaN");
    }

    [Test]
    public void One_formatter_writes_one_line_per_event_whatever_came_before()
    {
        var format = new ClefLines();
        var output = new ArrayBufferWriter<byte>();
        var longTitle = new string('x', 5_000);

        format.Write(Event("Asked {Title}", LogEventLevel.Information, null, null, null, ("Title", new ScalarValue(longTitle))), output);
        format.Write(Event("Asked {Title}", LogEventLevel.Information, null, null, null, ("Title", new ScalarValue("short"))), output);

        var lines = Encoding.UTF8.GetString(output.WrittenSpan).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        JsonNode.Parse(lines[0])!["@m"]!.GetValue<string>().ShouldBe("Asked " + longTitle);
        JsonNode.Parse(lines[1])!["@m"]!.GetValue<string>().ShouldBe("Asked short");
    }

    private static string Write(LogEvent logEvent)
    {
        var output = new ArrayBufferWriter<byte>();
        new ClefLines().Write(logEvent, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string Serilogs(LogEvent logEvent)
    {
        using var text = new StringWriter();
        new RenderedCompactJsonFormatter().Format(logEvent, text);
        return text.ToString();
    }

    private static LogEvent Event(
        string template, LogEventLevel level, Exception? exception, ActivityTraceId? trace, ActivitySpanId? span,
        params (string Name, LogEventPropertyValue Value)[] properties) =>
        new(At, level, exception, new MessageTemplateParser().Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, p.Value)), trace ?? default, span ?? default);
}
