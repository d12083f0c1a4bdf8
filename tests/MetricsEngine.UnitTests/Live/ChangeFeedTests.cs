using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Infrastructure.Changes;

namespace MetricsEngine.UnitTests.Live;

public sealed class ChangeFeedTests
{
    private static readonly Guid Metric = Guid.Parse("c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11");

    [Test]
    public void A_change_touches_what_reads_it_and_nothing_else()
    {
        Change.RecordsOf("q_alerts").Affects(Metric, "q_alerts").ShouldBeTrue();
        Change.RecordsOf("q_cost").Affects(Metric, "q_alerts").ShouldBeFalse();
        Change.MetricOf(Metric).Affects(Metric, "q_alerts").ShouldBeTrue();
        Change.MetricOf(Guid.NewGuid()).Affects(Metric, "q_alerts").ShouldBeFalse();
        Change.Everything.Affects(Metric, "q_alerts").ShouldBeTrue();
    }

    [Test]
    public void Records_of_any_query_touch_a_metric_whose_query_is_not_known_yet()
    {
        Change.RecordsOf("q_cost").Affects(Metric, queryId: null).ShouldBeTrue();
    }

    [TestCaseSource(nameof(Changes))]
    public void A_notification_reads_back_as_the_change_it_carries_and_knows_its_sender(Change change)
    {
        var payload = ChangeNotifications.Payload(change, "instance-a");

        ChangeNotifications.Read(payload, "instance-a").ShouldBe((change, true));
        ChangeNotifications.Read(payload, "instance-b").ShouldBe((change, false));
    }

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("instance-a 9 q_alerts")]
    [TestCase("instance-a x q_alerts")]
    public void A_notification_it_cannot_read_means_anything_may_have_changed(string payload) =>
        ChangeNotifications.Read(payload, "instance-b").ShouldBe((Change.Everything, false));

    private static IEnumerable<Change> Changes() =>
        [Change.RecordsOf("q_alerts"), Change.RecordsOf("id with spaces"), Change.MetricOf(Metric), Change.Everything];
}
