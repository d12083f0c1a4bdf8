using MetricsEngine.Application.Common.Idempotency;
using MetricsEngine.Application.Metrics.AddMetricRecord;
using MetricsEngine.Application.Metrics.Common;
using MetricsEngine.Application.Metrics.CreateMetric;

namespace MetricsEngine.UnitTests.Common.Idempotency;

/// <summary>
/// What a key is bound to: the operation and every value of the request but the key itself. The
/// digests are stored with the keys for 24 hours, so they are pinned: a change of representation
/// would refuse (422) the retries of requests sent before a deploy.
/// </summary>
public sealed class IdempotencyFingerprintTests
{
    private static readonly Guid MetricId = Guid.Parse("7d1c5e0a-3f2b-4c8e-9a61-0b2d4e6f8a10");

    private static AddMetricRecordCommand Record(string? alertType = "stock", Guid? metricId = null, string? key = "k-1") =>
        new("2025-06-03T08:15:00Z", 1.5m, null, 3, alertType, null) { MetricId = metricId ?? MetricId, IdempotencyKey = key };

    private static CreateMetricCommand Metric(string? title = "Parts flagged", string? key = "k-1") =>
        new(title, true, [new LayoutInput("lg", 0, 0, 4, 2, null)], null, "SELECT 1") { IdempotencyKey = key };

    [Test]
    public void A_record_digest_is_the_one_stored_before() =>
        IdempotentRequests.Fingerprint(nameof(AddMetricRecordCommand), Record()).ShouldBe("783D369420CA5B2CF8BC4FF99E2DD8B0EABA7FFE57BF3D07486D98D5A30624A5");

    [Test]
    public void A_metric_digest_is_the_one_stored_before() =>
        IdempotentRequests.Fingerprint(nameof(CreateMetricCommand), Metric()).ShouldBe("DABC53E4D58554E1EED3FEB00666BCDDDFECE25AD7E71BAFF0732442F5EEEE2B");

    [Test]
    public void The_key_is_not_part_of_the_content() =>
        IdempotentRequests.Fingerprint(nameof(AddMetricRecordCommand), Record(key: "k-2"))
            .ShouldBe(IdempotentRequests.Fingerprint(nameof(AddMetricRecordCommand), Record()));

    [Test]
    public void The_metric_from_the_route_is_part_of_the_content() =>
        IdempotentRequests.Fingerprint(nameof(AddMetricRecordCommand), Record(metricId: Guid.Empty))
            .ShouldNotBe(IdempotentRequests.Fingerprint(nameof(AddMetricRecordCommand), Record()));

    [Test]
    public void Another_body_is_another_request()
    {
        IdempotentRequests.Fingerprint(nameof(AddMetricRecordCommand), Record(alertType: "price"))
            .ShouldNotBe(IdempotentRequests.Fingerprint(nameof(AddMetricRecordCommand), Record()));
        IdempotentRequests.Fingerprint(nameof(CreateMetricCommand), Metric(title: "Other"))
            .ShouldNotBe(IdempotentRequests.Fingerprint(nameof(CreateMetricCommand), Metric()));
    }

    [Test]
    public void Another_operation_is_another_request() =>
        IdempotentRequests.Fingerprint("Other", Record())
            .ShouldNotBe(IdempotentRequests.Fingerprint(nameof(AddMetricRecordCommand), Record()));
}
