using System.Text;
using MetricsEngine.Web.Live;

namespace MetricsEngine.UnitTests.Live;

public sealed class EventStreamTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();

    [Test]
    public void An_answer_the_client_has_is_not_sent_again_and_last_event_id_counts_as_had()
    {
        using var stream = new EventStream([A, B], capacity: 10, lastEventId: "tag1", caller: "user:x");

        stream.Offer(Metric(A, "\"tag1\""));
        stream.Offer(Metric(B, "\"tag2\""));
        stream.Offer(Metric(B, "\"tag2\""));
        stream.Offer(Metric(A, "\"tag3\""));

        Drain(stream).ShouldBe(["metric B tag2", "metric A tag3"]);
    }

    [Test]
    public void After_an_error_the_same_answer_is_news_again()
    {
        using var stream = new EventStream([A], capacity: 10, lastEventId: null, caller: "user:x");

        stream.Offer(Metric(A, "\"t\""));
        stream.Offer(Frame.Error(A, new TimeoutException()));
        stream.Offer(Metric(A, "\"t\""));

        Drain(stream).ShouldBe(["metric A t", "error A", "metric A t"]);
    }

    [Test]
    public void A_deleted_metric_leaves_the_stream_which_ends_when_none_is_left()
    {
        using var stream = new EventStream([A, B], capacity: 10, lastEventId: null, caller: "user:x");

        stream.Offer(Frame.Deleted(A));
        stream.Offer(Metric(A, "\"late\""));
        stream.Ended.ShouldBeNull();
        stream.Offer(Frame.Deleted(B));

        stream.Ended.ShouldBe(StreamEnd.NothingLeft);
        Drain(stream).ShouldBe(["deleted A", "deleted B"]);
    }

    [Test]
    public void A_client_that_does_not_read_is_cut_off_when_its_queue_is_full()
    {
        using var stream = new EventStream([A], capacity: 2, lastEventId: null, caller: "user:x");

        stream.Offer(Frame.Heartbeat);
        stream.Offer(Frame.Heartbeat);
        stream.Killed.IsCancellationRequested.ShouldBeFalse();
        stream.Offer(Frame.Heartbeat);

        stream.Ended.ShouldBe(StreamEnd.SlowConsumer);
        stream.Killed.IsCancellationRequested.ShouldBeTrue();
    }

    [Test]
    public void A_metric_event_is_the_answer_as_one_data_line_with_the_etag_unquoted_as_its_id()
    {
        var frame = Frame.Metric(A, "\"abc\"", Encoding.UTF8.GetBytes("""{"id":1}"""));

        Encoding.UTF8.GetString(frame.Bytes.Span).ShouldBe("event: metric\nid: abc\ndata: {\"id\":1}\n\n");
    }

    private static Frame Metric(Guid id, string etag) => Frame.Metric(id, etag, Encoding.UTF8.GetBytes("{}"));

    private static List<string> Drain(EventStream stream)
    {
        var seen = new List<string>();
        while (stream.Frames.TryRead(out var frame))
        {
            var name = frame.MetricId == A ? "A" : "B";
            seen.Add(frame.Kind switch
            {
                FrameKind.Metric => $"metric {name} {frame.ETag!.Trim('"')}",
                FrameKind.Deleted => $"deleted {name}",
                FrameKind.Error => $"error {name}",
                _ => "heartbeat",
            });
        }

        return seen;
    }
}
