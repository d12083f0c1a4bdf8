using MediatR;
using MetricsEngine.Application.Imports;
using MetricsEngine.Application.Imports.RunImport;
using MetricsEngine.Crosscutting.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Startup;

/// <summary>Where the start-up import is; readiness waits for it.</summary>
internal sealed class StartupImportState
{
    private volatile string _state = "pending";
    private volatile string? _detail;

    public bool IsFinished => _state is "completed" or "skipped";

    public string Description => _detail is null ? $"Start-up import {_state}." : $"Start-up import {_state}: {_detail}";

    public void Set(string state, string? detail = null)
    {
        _detail = detail;
        _state = state;
    }
}

internal sealed class StartupImportHealthCheck(StartupImportState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsFinished ? HealthCheckResult.Healthy(state.Description) : HealthCheckResult.Unhealthy(state.Description));
}

/// <summary>
/// Imports the configured files once the host has started (<c>Import__OnStartup</c>), so that
/// liveness answers while it runs. A database that is still starting is waited for; a broken
/// file leaves the instance not ready, with the reason in <c>/health/ready</c>.
/// </summary>
internal sealed class StartupImportService(
    IServiceScopeFactory scopes,
    IEnumerable<IExceptionTranslator> translators,
    IOptions<ImportOptions> options,
    StartupImportState state,
    ILogger<StartupImportService> logger) : BackgroundService
{
    private static readonly TimeSpan[] DatabaseRetryDelays = [.. Enumerable.Repeat(TimeSpan.FromSeconds(2), 30)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.OnStartup)
        {
            state.Set("skipped", "Import__OnStartup is false");
            return;
        }

        await Task.Yield();
        state.Set("running");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var progress = new Progress<ImportProgress>(p => logger.LogInformation(
                    "Start-up import: {File} {Records} records read in {Seconds:0.0} s", p.File, p.Read, p.Elapsed.TotalSeconds));
                var run = await scope.ServiceProvider.GetRequiredService<IMediator>()
                    .Send(new RunImportCommand(ImportFiles.From(options.Value), DryRun: false, progress), stoppingToken);
                state.Set("completed", $"{run.Issues.Count} issue(s); see GET /imports/latest");
                return;
            }
            catch (Exception e) when (translators.Translate(e) is DatabaseUnavailableException && attempt < DatabaseRetryDelays.Length)
            {
                state.Set("waiting", "the database is not reachable yet");
                logger.LogWarning("Start-up import is waiting for the database (attempt {Attempt}): {Reason}", attempt + 1, e.Message);
                await Task.Delay(DatabaseRetryDelays[attempt], stoppingToken);
            }
            catch (ImportFileException e)
            {
                state.Set("failed", e.Message);
                logger.LogError("Start-up import failed: {Reason}", e.Message);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                state.Set("failed", "unexpected error; see the log");
                logger.LogError(e, "Start-up import failed");
                return;
            }
        }
    }
}
