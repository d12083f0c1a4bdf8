using MediatR;

namespace MetricsEngine.Application.Common.Messaging;

/// <summary>A read: no transaction, nothing saved.</summary>
public interface IQuery<out TResponse> : IRequest<TResponse>;

/// <summary>
/// A change: <see cref="Behaviours.UnitOfWorkBehaviour{TRequest,TResponse}"/> runs the handler in
/// one transaction and saves once, after the handler succeeds. A handler whose answer shows what
/// saving sets (updated_at) saves itself before answering, inside that same transaction.
/// </summary>
public interface ICommand<out TResponse> : IRequest<TResponse>;
