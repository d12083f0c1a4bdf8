using System.Reflection;

namespace MetricsEngine.AcceptanceTests.Runner;

/// <summary>
/// Runs scenarios one at a time. Scenarios of one feature share its feature context (hosts that
/// are expensive to start); when a scenario of another feature comes, the previous feature ends.
/// Every step is matched before any runs, so an undefined or ambiguous step fails the scenario
/// up front; after a failing step the rest are skipped.
/// </summary>
public sealed class ScenarioRunner(StepBindings bindings) : IAsyncDisposable
{
    private FeatureContext? _feature;
    private Exception? _featureFailure;

    /// <summary>Runs one scenario, writing each step with its outcome to <paramref name="log"/>.</summary>
    public async Task RunAsync(ScenarioCase scenario, TextWriter log)
    {
        if (scenario.Defect is { } defect)
        {
            throw new ScenarioFailedException(defect);
        }

        var matches = MatchAll(scenario);
        var feature = await EnterAsync(scenario.Feature);

        var container = new ObjectContainer(feature.FeatureContainer);
        await using (container)
        {
            container.RegisterInstanceAs(feature);
            container.RegisterInstanceAs(new ScenarioContext(new ScenarioInfo(scenario.Title, scenario.Tags, scenario.CombinedTags), container));
            log.WriteLine($"Scenario: {scenario.Name} ({scenario.Location})");
            Exception? failure = null;
            try
            {
                await RunHooksAsync(HookKind.BeforeScenario, scenario.CombinedTags, container);
                await RunStepsAsync(matches, container, log);
            }
            catch (Exception e)
            {
                failure = e;
                throw;
            }
            finally
            {
                await RunAfterScenarioHooksAsync(scenario, container, failure);
            }
        }
    }

    /// <summary>Ends the current feature: its after-feature hooks, then what its container holds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_feature is not { } feature)
        {
            return;
        }

        _feature = null;
        try
        {
            if (_featureFailure is null)
            {
                await RunHooksAsync(HookKind.AfterFeature, feature.FeatureInfo.Tags, feature.FeatureContainer);
            }
        }
        finally
        {
            await feature.FeatureContainer.DisposeAsync();
        }
    }

    private List<StepMatch> MatchAll(ScenarioCase scenario)
    {
        var matches = new List<StepMatch>();
        var problems = new List<string>();
        foreach (var step in scenario.Steps)
        {
            try
            {
                matches.Add(bindings.Match(step));
            }
            catch (StepBindingException e)
            {
                problems.Add(e.Message);
            }
        }

        return problems.Count == 0
            ? matches
            : throw new ScenarioFailedException($"'{scenario.Title}' cannot run:\n{string.Join('\n', problems)}");
    }

    private async Task<FeatureContext> EnterAsync(FeatureInfo info)
    {
        if (_feature is { } current && current.FeatureInfo.FilePath == info.FilePath)
        {
            return _featureFailure is null
                ? current
                : throw new ScenarioFailedException($"The feature '{info.Title}' could not start: {_featureFailure.Message}", _featureFailure);
        }

        await DisposeAsync();
        _feature = new FeatureContext(info);
        _featureFailure = null;
        _feature.FeatureContainer.RegisterInstanceAs(_feature);
        try
        {
            await RunHooksAsync(HookKind.BeforeFeature, info.Tags, _feature.FeatureContainer);
        }
        catch (Exception e)
        {
            _featureFailure = e;
            throw;
        }

        return _feature;
    }

    private static async Task RunStepsAsync(List<StepMatch> matches, ObjectContainer container, TextWriter log)
    {
        for (var i = 0; i < matches.Count; i++)
        {
            var step = matches[i].Step;
            try
            {
                await InvokeAsync(matches[i].Binding.Method, matches[i].Arguments, container);
                log.WriteLine($"  ✓ {step}");
            }
            catch (Exception e)
            {
                log.WriteLine($"  ✗ {step}");
                foreach (var skipped in matches.Skip(i + 1))
                {
                    log.WriteLine($"  - {skipped.Step} (skipped)");
                }

                throw new ScenarioFailedException($"Step failed: {step}\n{e.Message}", e);
            }
        }
    }

    private async Task RunAfterScenarioHooksAsync(ScenarioCase scenario, ObjectContainer container, Exception? failure)
    {
        try
        {
            await RunHooksAsync(HookKind.AfterScenario, scenario.CombinedTags, container);
        }
        catch (Exception) when (failure is not null)
        {
            // The step's failure is the one worth reporting; a hook tripping over its aftermath is not.
        }
    }

    private async Task RunHooksAsync(HookKind kind, IReadOnlyList<string> tags, ObjectContainer container)
    {
        foreach (var hook in bindings.HooksFor(kind, tags))
        {
            if (kind is HookKind.BeforeFeature or HookKind.AfterFeature && !hook.Method.IsStatic)
            {
                throw new InvalidOperationException($"{hook.Method.DeclaringType!.Name}.{hook.Method.Name}: feature hooks must be static.");
            }

            await InvokeAsync(hook.Method, [.. hook.Method.GetParameters().Select(p => container.Resolve(p.ParameterType))], container);
        }
    }

    private static async Task InvokeAsync(MethodInfo method, IReadOnlyList<object?> arguments, ObjectContainer container)
    {
        var target = method.IsStatic ? null : container.Resolve(method.DeclaringType!);
        var result = method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, [.. arguments], culture: null);
        if (result is Task task)
        {
            await task;
        }
    }
}

public sealed class ScenarioFailedException(string message, Exception? inner = null) : Exception(message, inner);
