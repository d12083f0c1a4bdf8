using MetricsEngine.Application.Imports;
using MetricsEngine.Infrastructure;
using MetricsEngine.Infrastructure.Importing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsEngine.UnitTests.Importing;

/// <summary>Import sources are found by the assembly scan: a new format is one new class, nothing else.</summary>
public sealed class ImportSourceRegistrationTests
{
    private static ServiceCollection Infrastructure()
    {
        var services = new ServiceCollection();
        services.AddInfrastructure(new ConfigurationBuilder().Build());
        return services;
    }

    [TestCase(typeof(IImportSource<IAsyncEnumerable<SourceItem<QueryRow>>>), typeof(QueriesCsvReader))]
    [TestCase(typeof(IImportSource<Task<MetricsDocument>>), typeof(MetricsJsonReader))]
    [TestCase(typeof(IImportSource<IAsyncEnumerable<SourceItem<RecordRow>>>), typeof(RecordsJsonReader))]
    public void Each_kind_of_content_has_its_file_source(Type service, Type implementation)
    {
        Infrastructure().Where(d => d.ServiceType == service).Select(d => d.ImplementationType).ShouldBe([implementation]);
    }

    [TestCase("data/queries.csv", true)]
    [TestCase("/srv/import/metrics.json", true)]
    [TestCase("file:///srv/import/metrics.json", true)]
    [TestCase("s3://bucket/metrics.json", false)]
    [TestCase("https://example.com/records.json", false)]
    public void File_sources_read_local_paths_only(string location, bool reads)
    {
        new MetricsJsonReader().Reads(location).ShouldBe(reads);
    }

    [Test]
    public void A_missing_file_is_named_before_anything_is_read()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.csv");

        var error = Should.Throw<ImportFileException>(() => new QueriesCsvReader().EnsureAvailable(missing));

        error.Message.ShouldBe($"{missing}: the file does not exist.");
    }
}
