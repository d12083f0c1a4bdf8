using System.Globalization;
using MediatR;
using MetricsEngine.Application.Imports;
using MetricsEngine.Application.Imports.RunImport;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Infrastructure.Persistence;
using MetricsEngine.Web.Authentication;
using MetricsEngine.Web.Dashboard;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace MetricsEngine.Web.Cli;

/// <summary>One-shot verbs. Output meant for people or scripts goes to stdout; logs go to stderr.</summary>
internal static class Verbs
{
    public static Task<int> RunAsync(HostCommand command, WebApplication app, CancellationToken cancellationToken) => command.Verb switch
    {
        HostCommand.Migrate => MigrateAsync(command, app, cancellationToken),
        HostCommand.Import => ImportAsync(command, app, cancellationToken),
        HostCommand.Token => Task.FromResult(Token(command, app)),
        _ => throw new InvalidOperationException($"Unknown verb '{command.Verb}'."),
    };

    private static async Task<int> MigrateAsync(HostCommand command, WebApplication app, CancellationToken cancellationToken)
    {
        if (command.Has(CommandLineSyntax.Script))
        {
            var script = DatabaseMigrator.GenerateIdempotentScript();
            if (command.Value(CommandLineSyntax.ScriptOutput) is { } path)
            {
                try
                {
                    await File.WriteAllTextAsync(path, script, cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"Cannot write the migration script to {path}: {e.Message}");
                    return 1;
                }

                await Console.Error.WriteLineAsync($"Wrote the idempotent migration script to {path}.");
            }
            else
            {
                Console.Out.Write(script);
            }

            return 0;
        }

        return await Guarded(app, async () =>
        {
            var applied = await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            Console.WriteLine(applied.Count == 0
                ? "The database is up to date; no migration to apply."
                : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}.");
            return 0;
        });
    }

    private static async Task<int> ImportAsync(HostCommand command, WebApplication app, CancellationToken cancellationToken)
    {
        var files = ImportFiles.From(app.Services.GetRequiredService<IOptions<ImportOptions>>().Value);
        if (!files.Configured.Any())
        {
            await Console.Error.WriteLineAsync("Nothing to import: set Import__QueriesFile, Import__MetricsFile and/or Import__RecordsFile (file paths).");
            return 1;
        }

        return await Guarded(app, async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var run = await scope.ServiceProvider.GetRequiredService<IMediator>()
                .Send(new RunImportCommand(files, command.Has(CommandLineSyntax.DryRun), new ConsoleProgress()), cancellationToken);
            ImportReportPrinter.Print(run, Console.Out);
            return 0;
        });
    }

    private static int Token(HostCommand command, WebApplication app)
    {
        // Read, not validated: the serving rules (an issuer must be configured) do not apply here.
        var auth = app.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (!app.Environment.IsDevelopment() || !auth.Local.Enabled)
        {
            Console.Error.WriteLine("The token verb issues local development tokens and works only in Development with Auth__Local__Enabled=true. " +
                "Elsewhere, get an access token from your Cognito user pool's token endpoint.");
            return HostCommand.UsageError;
        }

        var machine = command.Has(CommandLineSyntax.Machine);
        var scopes = command.Value(CommandLineSyntax.Scope) ?? [];
        var groups = command.Value(CommandLineSyntax.Group) ?? [];
        var request = new LocalTokenRequest(
            ClientId: command.Value(CommandLineSyntax.ClientId) ?? auth.Local.ClientId,
            Scopes: scopes.Length > 0 || groups.Length > 0 ? scopes : ["api/backend_access", "api/metrics.admin"],
            Groups: groups,
            Username: machine ? null : command.Value(CommandLineSyntax.Username) ?? "local-developer",
            Subject: Guid.NewGuid().ToString(),
            Lifetime: TimeSpan.FromMinutes(command.Value(CommandLineSyntax.LifetimeMinutes)));
        var token = app.Services.GetRequiredService<LocalIssuer>().CreateAccessToken(request, TimeProvider.System);
        Console.WriteLine(command.Has(CommandLineSyntax.Dashboard)
            ? DashboardLink.For(token, app.Configuration["urls"], app.Configuration["http_ports"])
            : token);
        return 0;
    }

    /// <summary>Long imports say how far they are, on stderr so the report on stdout stays clean.</summary>
    private sealed class ConsoleProgress : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) =>
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{value.File}: {value.Read:N0} records {(value.Done ? "read and written" : "read")} in {value.Elapsed.TotalSeconds:0.0} s ({value.PerSecond:N0}/s)"));
    }

    /// <summary>
    /// Serves the API until Ctrl-C or SIGTERM. A setting that is missing or invalid, or an address
    /// another process holds, ends it with a one-line reason and exit code 1 instead of an
    /// unhandled exception.
    /// </summary>
    public static async Task<int> ServeAsync(WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (SettingProblem(e) is { } reason)
        {
            await Console.Error.WriteLineAsync($"{CommandLineSyntax.Program} cannot start: {reason}");
            return 1;
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            // "Failed to bind to address http://localhost:8080: address already in use."
            await Console.Error.WriteLineAsync($"{CommandLineSyntax.Program} cannot start: {e.Message} Stop the other process or choose another address (--urls for the API, Telemetry__PrometheusPort for its metrics).");
            return 1;
        }
    }

    /// <summary>Expected failures end the verb with a one-line reason and exit code 1, not a stack trace.</summary>
    private static async Task<int> Guarded(WebApplication app, Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (ImportFileException e)
        {
            await Console.Error.WriteLineAsync($"Import failed: {e.Message}");
            return 1;
        }
        catch (Exception e) when (SettingProblem(e) is { } reason)
        {
            await Console.Error.WriteLineAsync(reason);
            return 1;
        }
        catch (Exception e) when (app.Services.GetServices<IExceptionTranslator>().Translate(e) is MetricsEngineException known)
        {
            await Console.Error.WriteLineAsync($"{known.Title}: {known.Message}");
            // The operator running a verb needs what the database said, which an API client never sees.
            for (var cause = known.InnerException; cause is not null; cause = cause.InnerException)
            {
                await Console.Error.WriteLineAsync($"  caused by {cause.GetType().Name}: {cause.Message}");
            }

            return 1;
        }
    }

    /// <summary>
    /// A missing or invalid setting, wherever it surfaced: services are built lazily, so the
    /// exception that names the setting often arrives wrapped (MediatR reports "Error constructing
    /// handler ..." around it), and the wrapper's message would blame the wrong thing.
    /// </summary>
    private static string? SettingProblem(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case MissingConfigurationException missing:
                    return missing.Message;
                case OptionsValidationException invalid:
                    return string.Join(" ", invalid.Failures);
            }
        }

        return null;
    }
}
