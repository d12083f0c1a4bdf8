namespace MetricsEngine.Core.Metrics;

/// <summary>
/// A metric's tile position for one react-grid-layout breakpoint. <see cref="Static"/> is
/// nullable because dashboards distinguish "not pinned" from "never said".
/// </summary>
public sealed record LayoutItem(string Breakpoint, int X, int Y, int W, int H, bool? Static)
{
    /// <summary>react-grid-layout's "put it at the bottom": a y far below any real row.</summary>
    public const int BottomSentinel = 9_999_999;

    /// <summary>Largest x or y (other than the sentinel) that still describes a real grid.</summary>
    public const int MaxCoordinate = 10_000;

    /// <summary>Largest width or height, in grid units.</summary>
    public const int MaxSize = 1_000;

    /// <summary>Why this position cannot be shown on a grid; empty when it can.</summary>
    public IEnumerable<(string Field, string Problem)> Problems()
    {
        if (string.IsNullOrWhiteSpace(Breakpoint))
        {
            yield return ("breakpoint", "breakpoint must name a react-grid-layout breakpoint such as 'lg'.");
        }

        if (X is < 0 or > MaxCoordinate)
        {
            yield return ("x", $"x must be between 0 and {MaxCoordinate}.");
        }

        if (Y is < 0 || (Y > MaxCoordinate && Y != BottomSentinel))
        {
            yield return ("y", $"y must be between 0 and {MaxCoordinate}, or {BottomSentinel} for \"bottom\".");
        }

        if (W is < 1 or > MaxSize)
        {
            yield return ("w", $"w must be between 1 and {MaxSize}.");
        }

        if (H is < 1 or > MaxSize)
        {
            yield return ("h", $"h must be between 1 and {MaxSize}.");
        }
    }
}
