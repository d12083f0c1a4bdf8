using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>
/// Titles name tiles on a dashboard, so two live metrics never share one (case-insensitively). A
/// title the caller chose must be free (a conflict otherwise); one derived for them is made free.
/// </summary>
public sealed class TitleRules(IUnitOfWork unitOfWork)
{
    /// <summary>The title, or "Title (2)", "Title (3)"... when live metrics already use it.</summary>
    public async Task<string> MakeUniqueAsync(string title, Guid metricId, CancellationToken cancellationToken)
    {
        var unique = title;
        for (var n = 2; await unitOfWork.Metrics.IsTitleTakenAsync(unique, metricId, cancellationToken); n++)
        {
            unique = $"{title} ({n})";
        }

        return unique;
    }

    public async Task EnsureAvailableAsync(string title, Guid metricId, CancellationToken cancellationToken)
    {
        if (await unitOfWork.Metrics.IsTitleTakenAsync(title, metricId, cancellationToken))
        {
            throw new ConflictException($"Another metric is already titled \"{title}\"; choose another title.");
        }
    }
}
