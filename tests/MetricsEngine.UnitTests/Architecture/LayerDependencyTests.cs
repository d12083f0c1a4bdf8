using System.Reflection;
using NetArchTest.Rules;

namespace MetricsEngine.UnitTests.Architecture;

/// <summary>Dependencies point inwards: Web → Infrastructure → Application → Core; Crosscutting stands alone.</summary>
public sealed class LayerDependencyTests
{
    private static readonly Assembly Core = typeof(MetricsEngine.Core.Metrics.Metric).Assembly;
    private static readonly Assembly Application = typeof(MetricsEngine.Application.ApplicationAssembly).Assembly;
    private static readonly Assembly Infrastructure = typeof(MetricsEngine.Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly Crosscutting = typeof(MetricsEngine.Crosscutting.Errors.ErrorKind).Assembly;

    [TestCase("MetricsEngine.Application")]
    [TestCase("MetricsEngine.Infrastructure")]
    [TestCase("MetricsEngine.Web")]
    [TestCase("Microsoft.EntityFrameworkCore")]
    [TestCase("Microsoft.AspNetCore")]
    [TestCase("MediatR")]
    [TestCase("Npgsql")]
    [TestCase("System.Net.Http")]
    [TestCase("System.Text.Json.Serialization")]
    public void Core_does_not_depend_on(string dependency) => ShouldNotDependOn(Core, dependency);

    [TestCase("MetricsEngine.Infrastructure")]
    [TestCase("MetricsEngine.Web")]
    [TestCase("Microsoft.EntityFrameworkCore")]
    [TestCase("Npgsql")]
    [TestCase("Microsoft.AspNetCore")]
    [TestCase("Microsoft.Extensions.Caching")]
    [TestCase("System.Net.Http")]
    [TestCase("System.Text.Json.Serialization")]
    public void Application_does_not_depend_on(string dependency) => ShouldNotDependOn(Application, dependency);

    [TestCase("MetricsEngine.Web")]
    [TestCase("Microsoft.AspNetCore")]
    public void Infrastructure_does_not_depend_on(string dependency) => ShouldNotDependOn(Infrastructure, dependency);

    [TestCase("MetricsEngine.Core")]
    [TestCase("MetricsEngine.Application")]
    [TestCase("MetricsEngine.Infrastructure")]
    [TestCase("MetricsEngine.Web")]
    public void Crosscutting_does_not_depend_on(string dependency) => ShouldNotDependOn(Crosscutting, dependency);

    /// <summary>Crosscutting holds only what every layer uses: the error types and the logging and metric names.</summary>
    [Test]
    public void Crosscutting_holds_only_errors_and_logging()
    {
        var namespaces = Crosscutting.GetTypes()
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith("MetricsEngine.", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal);

        namespaces.ShouldBe(["MetricsEngine.Crosscutting.Errors", "MetricsEngine.Crosscutting.Logging"]);
    }

    /// <summary>Guards the rules above against passing vacuously: the same check does see real dependencies.</summary>
    [TestCase("Application", "MetricsEngine.Core")]
    [TestCase("Application", "MetricsEngine.Crosscutting")]
    [TestCase("Application", "MediatR")]
    [TestCase("Infrastructure", "MetricsEngine.Application")]
    [TestCase("Infrastructure", "Microsoft.EntityFrameworkCore")]
    [TestCase("Infrastructure", "Npgsql")]
    public void The_check_finds_dependencies_that_exist(string layer, string dependency)
    {
        var assembly = layer == "Application" ? Application : Infrastructure;

        var result = Check(assembly, dependency);

        result.IsSuccessful.ShouldBeFalse();
        result.FailingTypeNames.ShouldNotBeEmpty();
    }

    private static void ShouldNotDependOn(Assembly assembly, string dependency)
    {
        var failing = (Check(assembly, dependency).FailingTypes ?? []).Select(t => t.FullName);

        failing.ShouldBeEmpty($"{assembly.GetName().Name} must not depend on {dependency}, but these types do");
    }

    private static TestResult Check(Assembly assembly, string dependency) =>
        Types.InAssembly(assembly).ShouldNot().HaveDependencyOn(dependency).GetResult();
}
