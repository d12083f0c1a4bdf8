using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace MetricsEngine.Infrastructure.QueryGeneration;

/// <summary>
/// Each call to the generator: a timeout per attempt, and retries with jittered exponential
/// back-off on failures that may pass (connection errors, timeouts, 408, 429, 5xx).
/// </summary>
internal sealed class LlmResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public LlmResilienceHandler(IOptions<LlmOptions> options)
    {
        var llm = options.Value;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (llm.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = llm.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(300),
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<Polly.Timeout.TimeoutRejectedException>()
                    .HandleResult(response => (int)response.StatusCode is 408 or 429 or >= 500),
            });
        }

        _pipeline = builder.AddTimeout(TimeSpan.FromSeconds(llm.TimeoutSeconds)).Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The body is buffered so that a retry can send it again.
        if (request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
        }

        return await _pipeline.ExecuteAsync(async token => await base.SendAsync(request, token), cancellationToken);
    }
}
