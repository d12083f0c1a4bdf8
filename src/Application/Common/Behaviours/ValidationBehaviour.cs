using FluentValidation;
using MediatR;
using MetricsEngine.Application.Common.Validation;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Common.Behaviours;

/// <summary>
/// Runs every validator of the request; any failure stops it before the handler with field errors.
/// Validators check the request's shape only, synchronously: whatever needs the database (does the
/// metric exist, is the title taken) is the handler's business. FluentValidation refuses to run an
/// async rule synchronously, so one added by mistake fails loudly rather than slowing every read.
/// Fields are named as the caller knows them (<see cref="IFieldNames"/>, supplied by the edge).
/// </summary>
public sealed class ValidationBehaviour<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators, IFieldNames fieldNames)
    : IPipelineBehavior<TRequest, TResponse>
{
    private readonly IValidator<TRequest>[] _validators = [.. validators];

    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (_validators.Length > 0)
        {
            var context = new ValidationContext<TRequest>(request);
            var failures = _validators.SelectMany(validator => validator.Validate(context).Errors).ToList();
            if (failures.Count > 0)
            {
                throw new RequestValidationException(failures
                    .GroupBy(f => fieldNames.Of(f.PropertyName), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal));
            }
        }

        return next();
    }
}
