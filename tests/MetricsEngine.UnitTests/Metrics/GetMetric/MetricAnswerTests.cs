using MetricsEngine.Application.Metrics.GetMetric;
using MetricsEngine.Application.Metrics.Parameters;

namespace MetricsEngine.UnitTests.Metrics.GetMetric;

public sealed class MetricAnswerTests
{
    private static MetricAnswer NewAnswer() => new(
        new MetricView(Guid.NewGuid(), "Sales", true, new Dictionary<string, ParameterState>(), new RowSet(["n"], [[1]], 64), false, []),
        "q");

    [Test]
    public async Task Callers_that_derive_at_once_wait_for_one_form_instead_of_each_making_their_own()
    {
        var answer = NewAnswer();
        var derivations = 0;
        using var start = new Barrier(8);

        var forms = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return answer.Derive(view =>
            {
                Interlocked.Increment(ref derivations);
                Thread.Sleep(100);
                return new[] { view.Title };
            });
        }, TaskCreationOptions.LongRunning)));

        derivations.ShouldBe(1);
        forms.ShouldAllBe(form => ReferenceEquals(form, forms[0]));
    }

    [Test]
    public void A_form_that_failed_is_made_again_by_the_next_caller()
    {
        var answer = NewAnswer();

        Should.Throw<InvalidDataException>(() => answer.Derive<string>(_ => throw new InvalidDataException()));

        answer.Derive(view => view.Title).ShouldBe("Sales");
    }

    [Test]
    public void The_one_slot_refuses_a_form_of_another_type_rather_than_hand_over_someone_elses()
    {
        var answer = NewAnswer();
        answer.Derive(view => view.Title);

        Should.Throw<InvalidOperationException>(() => answer.Derive(view => new[] { view.Title }));
    }
}
