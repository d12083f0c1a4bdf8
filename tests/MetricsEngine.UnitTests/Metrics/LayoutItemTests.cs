using MetricsEngine.Core.Metrics;

namespace MetricsEngine.UnitTests.Metrics;

public sealed class LayoutItemTests
{
    [TestCase(0, 0, 1, 1)]
    [TestCase(10000, 10000, 1000, 1000)]
    [TestCase(3, 9999999, 4, 2)]
    public void A_position_on_the_grid_has_no_problems(int x, int y, int w, int h)
    {
        var item = new LayoutItem("lg", x, y, w, h, Static: null);

        item.Problems().ShouldBeEmpty();
    }

    [TestCase(-1, 0, 1, 1, "x")]
    [TestCase(10001, 0, 1, 1, "x")]
    [TestCase(0, -1, 1, 1, "y")]
    [TestCase(0, 10001, 1, 1, "y")]
    [TestCase(0, 9999998, 1, 1, "y")]
    [TestCase(0, 10000000, 1, 1, "y")]
    [TestCase(0, 0, 0, 1, "w")]
    [TestCase(0, 0, -1, 1, "w")]
    [TestCase(0, 0, 1001, 1, "w")]
    [TestCase(0, 0, 1, 0, "h")]
    [TestCase(0, 0, 1, -1, "h")]
    [TestCase(0, 0, 1, 1001, "h")]
    public void A_coordinate_or_size_off_the_grid_is_a_problem(int x, int y, int w, int h, string field)
    {
        var item = new LayoutItem("lg", x, y, w, h, Static: false);

        item.Problems().Select(p => p.Field).ShouldBe([field]);
    }

    [Test]
    public void Each_problem_says_what_is_allowed()
    {
        var item = new LayoutItem("lg", -1, 10001, 0, 1001, Static: true);

        item.Problems().ShouldBe([
            ("x", "x must be between 0 and 10000."),
            ("y", "y must be between 0 and 10000, or 9999999 for \"bottom\"."),
            ("w", "w must be between 1 and 1000."),
            ("h", "h must be between 1 and 1000."),
        ]);
    }

    [TestCase("")]
    [TestCase("   ")]
    public void A_blank_breakpoint_is_a_problem(string breakpoint)
    {
        var item = new LayoutItem(breakpoint, 0, 0, 1, 1, Static: null);

        item.Problems().ShouldBe([("breakpoint", "breakpoint must name a react-grid-layout breakpoint such as 'lg'.")]);
    }
}
