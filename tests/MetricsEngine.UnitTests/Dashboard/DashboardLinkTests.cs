using MetricsEngine.Web.Cli;
using MetricsEngine.Web.Dashboard;

namespace MetricsEngine.UnitTests.Dashboard;

/// <summary>The link <c>token --dashboard</c> prints, for the address the API serves on.</summary>
public sealed class DashboardLinkTests
{
    [TestCase(null, null, "http://localhost:8080")]
    [TestCase("http://localhost:8282", null, "http://localhost:8282")]
    [TestCase("http://127.0.0.1:5000/;https://localhost:5001", null, "http://127.0.0.1:5000")]
    [TestCase("http://+:8080", null, "http://localhost:8080")]
    [TestCase("http://*:9000", null, "http://localhost:9000")]
    [TestCase("http://0.0.0.0:7000", null, "http://localhost:7000")]
    [TestCase("http://[::]:7001", null, "http://localhost:7001")]
    [TestCase("http://[::1]:7002", null, "http://[::1]:7002")]
    [TestCase("https://metrics.example.com", null, "https://metrics.example.com")]
    [TestCase(null, "8181", "http://localhost:8181")]
    public void The_link_opens_the_address_the_api_serves_on(string? urls, string? httpPorts, string address) =>
        DashboardLink.BaseAddress(urls, httpPorts).ShouldBe(address);

    [Test]
    public void The_token_rides_in_the_fragment_of_the_dashboards_folder() =>
        DashboardLink.For("aaa.bbb.ccc", "http://localhost:8383", null).ShouldBe("http://localhost:8383/dashboard/#access_token=aaa.bbb.ccc");

    [Test]
    public void Dashboard_is_a_flag_of_the_token_verb()
    {
        var command = HostCommand.Parse(["token", "--dashboard", "--scope", "api/metrics.read"], _ => null, "/app");

        command.IsAnswered.ShouldBeFalse();
        command.Verb.ShouldBe(HostCommand.Token);
        command.Has(CommandLineSyntax.Dashboard).ShouldBeTrue();
        HostCommand.Parse(["import", "--dashboard"], _ => null, "/app").IsAnswered.ShouldBeTrue();
    }
}
