using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediatR;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Common.Messaging;
using MetricsEngine.Crosscutting.Errors;

namespace MetricsEngine.Application.Common.Idempotency;

/// <summary>
/// Innermost behaviour of idempotent commands, inside the unit of work's transaction: the first
/// request with a key claims it and stores its answer with its changes; a retry with the same key
/// and the same content (compared as parsed, so spacing and member order do not matter) gets that
/// answer back without running again; the same key with other content is refused. Only answers
/// that were committed are remembered: a request that failed left nothing, so its retry runs.
/// </summary>
public sealed class IdempotencyBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork, ICurrentUser caller, TimeProvider clock)
    : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IIdempotentCommand, ICommand<TResponse>
{
    private static readonly string Operation = typeof(TRequest).Name;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request.IdempotencyKey is not { } key)
        {
            return await next();
        }

        var now = clock.GetUtcNow();
        var fingerprint = IdempotentRequests.Fingerprint(Operation, request);
        var claim = await unitOfWork.IdempotencyKeys.ClaimAsync(caller.CallerKey, key, fingerprint, now, now - IdempotentRequests.Window, cancellationToken);
        if (!claim.Claimed)
        {
            return claim.Fingerprint == fingerprint && claim.Response is { } response
                ? JsonSerializer.Deserialize<TResponse>(response, IdempotentRequests.Options)!
                : throw new IdempotencyKeyReusedException();
        }

        var answer = await next();
        await unitOfWork.IdempotencyKeys.CompleteAsync(caller.CallerKey, key, JsonSerializer.Serialize(answer, IdempotentRequests.Options), cancellationToken);
        return answer;
    }
}

/// <summary>How long answers are kept, and what a command asks for as a digest: its name and the values that identify it.</summary>
public static class IdempotentRequests
{
    /// <summary>How long an answer is remembered for its key.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static string Fingerprint(string operation, IIdempotentCommand request)
    {
        var values = request.IdentifyingValues();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(operation + "\n"));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(values, values.GetType(), Options));
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
