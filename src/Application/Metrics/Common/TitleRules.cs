using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.Common;

/// <summary>Titles name tiles on a dashboard, so two live metrics never share one (case-insensitively).</summary>
public sealed class TitleRules(IUnitOfWork unitOfWork)
{
    public async Task EnsureAvailableAsync(string title, Guid metricId, CancellationToken cancellationToken)
    {
        if (await unitOfWork.Metrics.IsTitleTakenAsync(title, metricId, cancellationToken))
        {
            throw new ConflictException($"Another metric is already titled \"{title}\"; choose another title.");
        }
    }
}
