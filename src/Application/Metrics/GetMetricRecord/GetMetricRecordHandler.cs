using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.GetMetricRecord;

public sealed class GetMetricRecordHandler(IUnitOfWork unitOfWork) : IRequestHandler<GetMetricRecordQuery, MetricRecordView>
{
    public async Task<MetricRecordView> Handle(GetMetricRecordQuery request, CancellationToken cancellationToken)
    {
        var (metric, _) = await unitOfWork.Metrics.FindWithQueryAsync(request.MetricId, cancellationToken)
            ?? throw new NotFoundException("Metric", request.MetricId);

        // Records belong to a query; through a metric, only those its query reads are visible.
        var record = await unitOfWork.Records.FindAsync(request.RecordId, cancellationToken);
        if (record is null || record.QueryId != metric.QueryId)
        {
            throw NotFoundException.Because("Record", $"Metric {metric.Id} has no record {request.RecordId}.");
        }

        var measures = record.Measures;
        return new MetricRecordView(
            record.IdempotencyKey, metric.Id, record.Date, measures.Obsolescence, measures.ObsolescenceVal,
            measures.PartsFlagged, measures.AlertType, measures.AlertCategory, record.CreatedAt);
    }
}
