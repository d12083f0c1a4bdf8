using System.Globalization;
using MediatR;
using MetricsEngine.Application.Imports;
using MetricsEngine.Application.Imports.RunImport;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Options;
using MetricsEngine.Infrastructure.Persistence;
using MetricsEngine.Web.Authentication;
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
        if (command.Flags.Contains("--script"))
        {
            var script = DatabaseMigrator.GenerateIdempotentScript();
            if (command.Value("--script-output") is { } path)
            {
                await File.WriteAllTextAsync(path, script, cancellationToken);
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
            await Console.Error.WriteLineAsync("Nothing to import: set Import__QueriesFile, Import__MetricsFile and/or Import__RecordsFile.");
            return 2;
        }

        return await Guarded(app, async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var run = await scope.ServiceProvider.GetRequiredService<IMediator>()
                .Send(new RunImportCommand(files, command.Flags.Contains("--dry-run"), new ConsoleProgress()), cancellationToken);
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
            return 2;
        }

        var machine = command.Flags.Contains("--machine");
        var scopes = command.Values("--scope");
        var groups = command.Values("--group");
        var lifetime = int.TryParse(command.Value("--lifetime-minutes"), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            ? minutes : 60;
        var request = new LocalTokenRequest(
            ClientId: command.Value("--client-id") ?? auth.Local.ClientId,
            Scopes: scopes.Count > 0 || groups.Count > 0 ? scopes : ["api/backend_access", "api/metrics.admin"],
            Groups: machine ? [] : groups,
            Username: machine ? null : command.Value("--username") ?? "local-developer",
            Subject: Guid.NewGuid().ToString(),
            Lifetime: TimeSpan.FromMinutes(Math.Clamp(lifetime, 1, 24 * 60)));
        Console.WriteLine(app.Services.GetRequiredService<LocalIssuer>().CreateAccessToken(request, TimeProvider.System));
        return 0;
    }

    /// <summary>Long imports say how far they are, on stderr so the report on stdout stays clean.</summary>
    private sealed class ConsoleProgress : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) =>
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{value.File}: {value.Read:N0} records {(value.Done ? "read and written" : "read")} in {value.Elapsed.TotalSeconds:0.0} s ({value.PerSecond:N0}/s)"));
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
        catch (Exception e) when (app.Services.GetServices<IExceptionTranslator>().Translate(e) is MetricsEngineException known)
        {
            await Console.Error.WriteLineAsync($"{known.Title}: {known.Message}");
            return 1;
        }
        catch (MissingConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
