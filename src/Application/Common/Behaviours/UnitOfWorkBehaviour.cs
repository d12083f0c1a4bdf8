using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Common.Behaviours;

/// <summary>
/// Innermost behaviour: a command's changes are saved together in one transaction after its
/// handler succeeds, or not at all. The constraint keeps it out of queries' pipelines altogether
/// (the container skips an open generic whose constraints a request does not meet), so a read
/// answered from the cache never opens a unit of work.
/// </summary>
public sealed class UnitOfWorkBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork)
    : IPipelineBehavior<TRequest, TResponse>
    where TRequest : ICommand<TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        await using var transaction = await unitOfWork.BeginTransactionAsync(cancellationToken);
        var response = await next();
        await unitOfWork.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return response;
    }
}
