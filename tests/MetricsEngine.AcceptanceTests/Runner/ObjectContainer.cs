using System.Reflection;

namespace MetricsEngine.AcceptanceTests.Runner;

/// <summary>
/// Context injection as Reqnroll does it: a scenario's container creates each binding class and
/// each context class once, from its public constructor, and hands the same instance to every
/// class that asks for it. Instances registered on the feature's container (the parent) are
/// shared by all scenarios of the feature. What a container created, it disposes.
/// </summary>
public sealed class ObjectContainer(ObjectContainer? parent = null) : IAsyncDisposable
{
    private readonly Dictionary<Type, object> _instances = [];
    private readonly List<object> _owned = [];
    private readonly HashSet<Type> _resolving = [];

    public void RegisterInstanceAs<T>(T instance, bool dispose = false)
        where T : class
    {
        _instances[typeof(T)] = instance;
        if (dispose)
        {
            _owned.Add(instance);
        }
    }

    public T Resolve<T>() => (T)Resolve(typeof(T));

    public object Resolve(Type type)
    {
        if (Find(type) is { } existing)
        {
            return existing;
        }

        if (!_resolving.Add(type))
        {
            throw new InvalidOperationException($"{type.Name} depends on itself through its constructor.");
        }

        try
        {
            var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).MaxBy(c => c.GetParameters().Length)
                ?? throw new InvalidOperationException($"{type.Name} has no public constructor to create it with.");
            var instance = constructor.Invoke([.. constructor.GetParameters().Select(p => Resolve(p.ParameterType))]);
            _instances[type] = instance;
            _owned.Add(instance);
            return instance;
        }
        finally
        {
            _resolving.Remove(type);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Last created first: a class is disposed before what it was built from.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            switch (_owned[i])
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _owned.Clear();
        _instances.Clear();
    }

    private object? Find(Type type) => _instances.TryGetValue(type, out var instance) ? instance : parent?.Find(type);
}

public sealed record ScenarioInfo(string Title, IReadOnlyList<string> Tags, IReadOnlyList<string> CombinedTags);

/// <summary>The feature being run; its container holds what its scenarios share.</summary>
public sealed class FeatureContext(FeatureInfo featureInfo)
{
    public FeatureInfo FeatureInfo { get; } = featureInfo;
    public ObjectContainer FeatureContainer { get; } = new();
}

public sealed class ScenarioContext(ScenarioInfo scenarioInfo, ObjectContainer scenarioContainer)
{
    public ScenarioInfo ScenarioInfo { get; } = scenarioInfo;
    public ObjectContainer ScenarioContainer { get; } = scenarioContainer;
}
