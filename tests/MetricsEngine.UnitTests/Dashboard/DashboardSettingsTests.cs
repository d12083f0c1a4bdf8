using MetricsEngine.Web.Authentication;
using MetricsEngine.Web.Dashboard;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MetricsEngine.UnitTests.Dashboard;

/// <summary>Which dashboard settings the host refuses to start with, and how it reads the Cognito domain.</summary>
public sealed class DashboardSettingsTests
{
    private const string Domain = "https://metrics.auth.eu-west-1.amazoncognito.com";

    [TestCase("metrics.auth.eu-west-1.amazoncognito.com", Domain)]
    [TestCase("https://metrics.auth.eu-west-1.amazoncognito.com/", Domain)]
    [TestCase("  HTTPS://Metrics.Auth.EU-West-1.amazoncognito.com  ", Domain)]
    [TestCase("https://login.example.com:8443", "https://login.example.com:8443")]
    public void A_domain_is_read_as_an_https_origin(string value, string origin)
    {
        DashboardSite.TryParseOrigin(value, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(origin);
    }

    [TestCase("http://metrics.auth.eu-west-1.amazoncognito.com")]
    [TestCase("https://metrics.auth.eu-west-1.amazoncognito.com/oauth2")]
    [TestCase("https://metrics.auth.eu-west-1.amazoncognito.com?x=1")]
    [TestCase("https://evil.example; script-src *")]
    [TestCase("https://user@metrics.example.com")]
    [TestCase("localhost")]
    [TestCase("")]
    public void Anything_but_an_https_origin_is_refused(string value) =>
        DashboardSite.TryParseOrigin(value, out _).ShouldBeFalse();

    [Test]
    public void Complete_cognito_settings_with_an_accepted_client_pass() =>
        Validate(new DashboardOptions { CognitoDomain = Domain, ClientId = "dashboard" }).Succeeded.ShouldBeTrue();

    [Test]
    public void No_cognito_settings_at_all_pass_so_an_api_without_people_still_starts() =>
        Validate(new DashboardOptions()).Succeeded.ShouldBeTrue();

    [TestCase(null, "dashboard", "Dashboard__ClientId is set but Dashboard__CognitoDomain is not")]
    [TestCase(Domain, null, "Dashboard__CognitoDomain is set but Dashboard__ClientId is not")]
    [TestCase("ftp://metrics.example.com", "dashboard", "Dashboard__CognitoDomain must be the hosted UI's origin")]
    [TestCase(Domain, "unknown-client", "Dashboard__ClientId 'unknown-client' is not one of Auth__ClientIds")]
    public void Settings_that_are_certainly_a_mistake_are_refused(string? domain, string? client, string failure) =>
        Validate(new DashboardOptions { CognitoDomain = domain, ClientId = client }).FailureMessage!.ShouldContain(failure);

    [Test]
    public void An_unknown_mode_is_refused() =>
        Validate(new DashboardOptions { AuthMode = "saml" }).FailureMessage!.ShouldContain("Dashboard__AuthMode must be 'local' or 'cognito', not 'saml'.");

    [Test]
    public void Local_mode_needs_no_cognito_settings_and_ignores_a_client_the_api_does_not_know() =>
        Validate(new DashboardOptions { AuthMode = "local", ClientId = "unknown-client", CognitoDomain = Domain }).Succeeded.ShouldBeTrue();

    [TestCase("Development", true, null, "local")]
    [TestCase("Development", false, null, "cognito")]
    [TestCase("Production", false, null, "cognito")]
    [TestCase("Testing", false, "LOCAL", "local")]
    [TestCase("Development", true, "cognito", "cognito")]
    public void The_mode_follows_the_local_issuer_unless_set(string environment, bool localIssuer, string? setting, string mode)
    {
        var site = new DashboardSite(
            Options.Create(new DashboardOptions { AuthMode = setting, FilesPath = Path.GetTempPath() }),
            Options.Create(new AuthOptions { Local = { Enabled = localIssuer } }),
            new Environment(environment));

        site.AuthMode.ShouldBe(mode);
    }

    private static ValidateOptionsResult Validate(DashboardOptions options) =>
        new DashboardOptionsValidator(new Environment("Production"), Options.Create(new AuthOptions { ClientIds = ["api-client", "dashboard"] }))
            .Validate(null, options);

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "MetricsEngine.Web";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
