using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Imports.GetLatestImport;

public sealed class GetLatestImportHandler(IUnitOfWork unitOfWork) : IRequestHandler<GetLatestImportQuery, ImportReport>
{
    public async Task<ImportReport> Handle(GetLatestImportQuery request, CancellationToken cancellationToken)
    {
        var run = await unitOfWork.ImportRuns.GetLatestAsync(cancellationToken)
            ?? throw NotFoundException.Because("Import", "No import has run yet.");
        return ImportReport.From(run);
    }
}
