using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Common.Behaviours;

/// <summary>
/// Innermost behaviour: a command's changes are saved together in one transaction after its
/// handler succeeds, or not at all. Queries pass straight through.
/// </summary>
public sealed class UnitOfWorkBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly bool IsCommand = typeof(ICommand<TResponse>).IsAssignableFrom(typeof(TRequest));

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (!IsCommand)
        {
            return await next();
        }

        await using var transaction = await unitOfWork.BeginTransactionAsync(cancellationToken);
        var response = await next();
        await unitOfWork.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return response;
    }
}
