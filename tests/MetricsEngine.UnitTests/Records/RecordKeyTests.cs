using System.Globalization;
using MetricsEngine.Core.Records;

namespace MetricsEngine.UnitTests.Records;

/// <summary>Re-importing a file must yield the same keys, while identical rows stay distinct events.</summary>
public sealed class RecordKeyTests
{
    private static readonly DateTime June3 = new(2025, 6, 3, 0, 0, 0, DateTimeKind.Utc);

    [Test]
    public void The_same_content_gives_the_same_hash()
    {
        var first = RecordKey.HashContent("q1", June3, new Measures(Obsolescence: 12.5m, AlertType: "Critical"));
        var second = RecordKey.HashContent("q1", new DateTime(2025, 6, 3, 0, 0, 0, DateTimeKind.Utc), new Measures(Obsolescence: 12.5m, AlertType: "Critical"));

        second.ShouldBe(first);
        second.Value.ShouldBe(first.Value);
        second.GetHashCode().ShouldBe(first.GetHashCode());
    }

    [TestCase("1.5", "1.50")]
    [TestCase("1.5", "1.500000")]
    [TestCase("0", "0.00")]
    [TestCase("100", "100.0")]
    public void Trailing_zeros_do_not_change_the_hash(string value, string sameValue)
    {
        var first = RecordKey.HashContent("q1", June3, new Measures(Obsolescence: decimal.Parse(value, CultureInfo.InvariantCulture)));
        var second = RecordKey.HashContent("q1", June3, new Measures(Obsolescence: decimal.Parse(sameValue, CultureInfo.InvariantCulture)));

        second.ShouldBe(first);
    }

    private static IEnumerable<TestCaseData> Differences()
    {
        var measures = new Measures(Obsolescence: 1.5m);
        yield return new TestCaseData("q2", June3, measures).SetArgDisplayNames("another query");
        yield return new TestCaseData("q1", June3.AddSeconds(1), measures).SetArgDisplayNames("another time");
        yield return new TestCaseData("q1", June3, new Measures(Obsolescence: 1.6m)).SetArgDisplayNames("another value");
        yield return new TestCaseData("q1", June3, new Measures(ObsolescenceVal: 1.5m)).SetArgDisplayNames("the value under another measure");
        yield return new TestCaseData("q1", June3, measures with { PartsFlagged = 0 }).SetArgDisplayNames("an extra measure");
        yield return new TestCaseData("q1", June3, measures with { AlertType = "" }).SetArgDisplayNames("an empty alert type");
    }

    [TestCaseSource(nameof(Differences))]
    public void Different_content_gives_a_different_hash(string queryId, DateTime date, Measures measures)
    {
        var reference = RecordKey.HashContent("q1", June3, new Measures(Obsolescence: 1.5m));

        RecordKey.HashContent(queryId, date, measures).ShouldNotBe(reference);
    }

    [Test]
    public void The_first_and_second_occurrence_of_the_same_content_get_different_keys()
    {
        var content = RecordKey.HashContent("q1", June3, new Measures(PartsFlagged: 3));

        RecordKey.ForImported(content, 1).ShouldNotBe(RecordKey.ForImported(content, 2));
    }

    [Test]
    public void Keys_are_deterministic()
    {
        var first = RecordKey.ForImported(RecordKey.HashContent("q1", June3, new Measures(PartsFlagged: 3)), 1);
        var second = RecordKey.ForImported(RecordKey.HashContent("q1", June3, new Measures(PartsFlagged: 3)), 1);

        second.ShouldBe(first);
    }

    [Test]
    public void Keys_do_not_change_between_releases()
    {
        // Stored keys decide what a re-import skips: changing the derivation would import every record twice.
        var key = RecordKey.ForImported(RecordKey.HashContent("q1", June3, new Measures(Obsolescence: 12.5m, AlertType: "Critical")), 1);

        // (Re-pinned before the first release: canonical form a JSON array, hash kept as 128 bits.)
        key.ShouldBe(Guid.Parse("bba029f9-7a4d-a9b2-c2c2-13505458f52e"));
    }

    [Test]
    public void An_alert_category_of_tilde_is_not_confused_with_no_alert_category()
    {
        var without = RecordKey.HashContent("q1", June3, new Measures(Obsolescence: 1.5m));
        var withTilde = RecordKey.HashContent("q1", June3, new Measures(Obsolescence: 1.5m, AlertCategory: "~"));

        withTilde.ShouldNotBe(without);
    }

    [Test]
    public void Text_containing_the_field_separator_cannot_shift_values_between_fields()
    {
        var first = RecordKey.HashContent("q1", June3, new Measures(AlertType: "a\u001fb", AlertCategory: "c"));
        var second = RecordKey.HashContent("q1", June3, new Measures(AlertType: "a", AlertCategory: "b\u001fc"));

        first.ShouldNotBe(second);
    }
}
