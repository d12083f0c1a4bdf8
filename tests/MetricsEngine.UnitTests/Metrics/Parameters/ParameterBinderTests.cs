using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Core.Queries;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.UnitTests.Metrics.Parameters;

/// <summary>docs/product.md#reading-a-metric: a query's defaults combined with the caller's filters.</summary>
public sealed class ParameterBinderTests
{
    private static readonly DateOnly Today = new(2025, 11, 20);

    private static readonly QueryParameter StartDate = new("start_date", QueryParameterType.Date, "2025-06-01");
    private static readonly QueryParameter EndDate = new("end_date", QueryParameterType.Date, "2025-06-30");
    private static readonly QueryParameter DayRange = new("day_range", QueryParameterType.Integer, "30");
    private static readonly QueryParameter AsOf = new("as_of", QueryParameterType.Date, null);

    [Test]
    public void Defaults_are_used_when_nothing_is_requested()
    {
        var bound = ParameterBinder.Bind([StartDate, EndDate], RequestedParameters.None, Today);

        bound.States["start_date"].ShouldBe(new ParameterState(true, new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 1)));
        bound.States["end_date"].ShouldBe(new ParameterState(true, new DateOnly(2025, 6, 30), new DateOnly(2025, 6, 30)));
        bound.Arguments.ShouldBe([
            new SqlArgument("start_date", new DateOnly(2025, 6, 1)),
            new SqlArgument("end_date", new DateOnly(2025, 6, 30)),
        ]);
    }

    [Test]
    public void Requested_values_override_the_defaults()
    {
        var requested = new RequestedParameters(new DateOnly(2025, 5, 1), new DateOnly(2025, 7, 31), 7, new DateOnly(2025, 1, 15));

        var bound = ParameterBinder.Bind([StartDate, EndDate, DayRange, AsOf], requested, Today);

        bound.States["start_date"].ShouldBe(new ParameterState(true, new DateOnly(2025, 5, 1), new DateOnly(2025, 6, 1)));
        bound.States["end_date"].ShouldBe(new ParameterState(true, new DateOnly(2025, 7, 31), new DateOnly(2025, 6, 30)));
        bound.States["day_range"].ShouldBe(new ParameterState(true, 7, 30));
        bound.States["as_of"].ShouldBe(new ParameterState(true, new DateOnly(2025, 1, 15), Today));
    }

    [Test]
    public void Only_the_requested_value_changes_when_one_filter_is_given()
    {
        var requested = RequestedParameters.None with { EndDate = new DateOnly(2025, 6, 15) };

        var bound = ParameterBinder.Bind([StartDate, EndDate], requested, Today);

        bound.Arguments.ShouldBe([
            new SqlArgument("start_date", new DateOnly(2025, 6, 1)),
            new SqlArgument("end_date", new DateOnly(2025, 6, 15)),
        ]);
    }

    [Test]
    public void Filters_the_query_lacks_are_not_applicable_and_echo_the_requested_value()
    {
        var requested = new RequestedParameters(new DateOnly(2025, 1, 1), null, 90, new DateOnly(2025, 2, 2));

        var bound = ParameterBinder.Bind([DayRange], requested, Today);

        bound.States["start_date"].ShouldBe(new ParameterState(false, new DateOnly(2025, 1, 1), null));
        bound.States["end_date"].ShouldBe(new ParameterState(false, null, null));
        bound.States["as_of"].ShouldBe(new ParameterState(false, new DateOnly(2025, 2, 2), null));
        bound.States["day_range"].ShouldBe(new ParameterState(true, 90, 30));
        bound.Arguments.ShouldBe([new SqlArgument("day_range", 90)]);
    }

    [Test]
    public void Every_filter_has_a_state_even_for_a_query_without_parameters()
    {
        var bound = ParameterBinder.Bind([], RequestedParameters.None, Today);

        bound.States.Keys.ShouldBe(["start_date", "end_date", "day_range", "as_of"], ignoreOrder: true);
        bound.States.Values.ShouldAllBe(s => !s.Applicable && s.Value == null && s.Default == null);
        bound.Arguments.ShouldBeEmpty();
    }

    [Test]
    public void As_of_defaults_to_today()
    {
        var bound = ParameterBinder.Bind([AsOf], RequestedParameters.None, Today);

        bound.States["as_of"].ShouldBe(new ParameterState(true, Today, Today));
        bound.Arguments.ShouldBe([new SqlArgument("as_of", Today)]);
    }

    [Test]
    public void Day_range_default_is_bound_as_an_integer()
    {
        var bound = ParameterBinder.Bind([DayRange], RequestedParameters.None, Today);

        var argument = bound.Arguments.ShouldHaveSingleItem();
        argument.Name.ShouldBe("day_range");
        argument.Value.ShouldBeOfType<int>().ShouldBe(30);
    }

    [Test]
    public void Arguments_hold_exactly_the_applicable_filters_with_typed_values()
    {
        var requested = RequestedParameters.None with { DayRange = 14 };

        var bound = ParameterBinder.Bind([StartDate, EndDate, DayRange, AsOf], requested, Today);

        bound.Arguments.Select(a => (a.Name, a.Value.GetType())).ShouldBe([
            ("start_date", typeof(DateOnly)),
            ("end_date", typeof(DateOnly)),
            ("day_range", typeof(int)),
            ("as_of", typeof(DateOnly)),
        ]);
        bound.Arguments.Select(a => a.Value).ShouldBe([new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30), 14, Today]);
    }

    [Test]
    public void Requested_start_after_requested_end_is_rejected_against_start_date()
    {
        var requested = RequestedParameters.None with { StartDate = new DateOnly(2025, 7, 1), EndDate = new DateOnly(2025, 6, 1) };

        var error = Should.Throw<RequestValidationException>(() => ParameterBinder.Bind([StartDate, EndDate], requested, Today));

        error.Errors.Keys.ShouldBe(["start_date"]);
        error.Errors["start_date"].ShouldBe(["start_date 2025-07-01 is after end_date 2025-06-01."]);
    }

    [Test]
    public void Requested_start_after_the_default_end_is_rejected()
    {
        var requested = RequestedParameters.None with { StartDate = new DateOnly(2025, 7, 1) };

        var error = Should.Throw<RequestValidationException>(() => ParameterBinder.Bind([StartDate, EndDate], requested, Today));

        error.Errors["start_date"].ShouldBe(["start_date 2025-07-01 is after end_date 2025-06-30."]);
    }

    [Test]
    public void Requested_end_before_the_default_start_is_rejected_against_start_date()
    {
        var requested = RequestedParameters.None with { EndDate = new DateOnly(2025, 5, 31) };

        var error = Should.Throw<RequestValidationException>(() => ParameterBinder.Bind([StartDate, EndDate], requested, Today));

        error.Errors["start_date"].ShouldBe(["start_date 2025-06-01 is after end_date 2025-05-31."]);
    }

    [Test]
    public void A_one_day_window_is_allowed()
    {
        var requested = RequestedParameters.None with { StartDate = new DateOnly(2025, 6, 30) };

        var bound = ParameterBinder.Bind([StartDate, EndDate], requested, Today);

        bound.Arguments.Select(a => a.Value).ShouldBe([new DateOnly(2025, 6, 30), new DateOnly(2025, 6, 30)]);
    }

    [Test]
    public void Start_after_end_is_not_checked_for_a_query_without_a_window()
    {
        var requested = RequestedParameters.None with { StartDate = new DateOnly(2025, 7, 1), EndDate = new DateOnly(2025, 6, 1) };

        var bound = ParameterBinder.Bind([DayRange], requested, Today);

        bound.States["start_date"].Applicable.ShouldBeFalse();
        bound.Arguments.ShouldBe([new SqlArgument("day_range", 30)]);
    }

    [Test]
    public void A_call_without_parameters_is_not_rejected_for_the_querys_own_backwards_window()
    {
        var template = QueryTemplate.Parameterise("SELECT * FROM metrics WHERE date BETWEEN '2025-06-30' AND '2025-06-01'");

        var bound = ParameterBinder.Bind(template.Parameters, RequestedParameters.None, Today);

        bound.States["start_date"].Value.ShouldBe(new DateOnly(2025, 6, 30));
    }

    [Test]
    public void A_caller_who_sends_one_end_of_the_window_is_still_held_to_the_order()
    {
        var definitions = new[] { StartDate, EndDate };

        Should.Throw<RequestValidationException>(() => ParameterBinder.Bind(definitions, RequestedParameters.None with { EndDate = new DateOnly(2025, 5, 1) }, Today))
            .Errors.Keys.ShouldBe(["start_date"]);
    }
}
