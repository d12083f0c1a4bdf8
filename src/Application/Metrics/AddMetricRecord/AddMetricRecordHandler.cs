using MediatR;
using MetricsEngine.Application.Common.Changes;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Core.Records;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Metrics.AddMetricRecord;

public sealed class AddMetricRecordHandler(IUnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<AddMetricRecordCommand, CreatedRecord>
{
    public async Task<CreatedRecord> Handle(AddMetricRecordCommand request, CancellationToken cancellationToken)
    {
        var metric = await unitOfWork.Metrics.FindAsync(request.MetricId, cancellationToken);
        if (metric is null || metric.IsDeleted)
        {
            throw new NotFoundException("Metric", request.MetricId);
        }

        var now = clock.GetUtcNow();
        var date = RecordDates.TryParseUtc(request.Date, out var given) ? given : now.UtcDateTime;
        var measures = new Measures(request.Obsolescence, request.ObsolescenceVal, request.PartsFlagged, request.AlertType, request.AlertCategory);

        // An API record is a new event: its key is random, and it is the record's public id.
        var record = MetricRecord.Create(metric.QueryId, date, measures, Guid.CreateVersion7(), now);
        unitOfWork.Records.Add(record);

        // Every metric reading this query now shows one more row: the next read must see it.
        unitOfWork.Changed(Change.RecordsOf(metric.QueryId));
        return new CreatedRecord(record.IdempotencyKey);
    }
}
