using MetricsEngine.Web.Cli;

namespace MetricsEngine.UnitTests.Cli;

public sealed class HostCommandTests
{
    private const string AppFolder = "/opt/app/";

    private static HostCommand Parse(params string[] args) => HostCommand.Parse(args, _ => null, AppFolder);

    [Test]
    public void No_arguments_serve_from_the_application_folder()
    {
        var command = Parse();

        command.IsVerb.ShouldBeFalse();
        command.IsAnswered.ShouldBeFalse();
        command.HostArgs.ShouldBe(["--contentRoot=/opt/app/"]);
    }

    [Test]
    public void A_content_root_given_on_the_command_line_or_in_the_environment_is_kept()
    {
        Parse("--contentRoot", "/srv/x").HostArgs.ShouldBe(["--contentRoot=/srv/x"]);
        Parse("--contentroot=/srv/x").HostArgs.ShouldBe(["--contentroot=/srv/x"]);
        HostCommand.Parse([], name => name == "ASPNETCORE_CONTENTROOT" ? "/srv/y" : null, AppFolder).HostArgs.ShouldBeEmpty();
        HostCommand.Parse([], name => name == "DOTNET_CONTENTROOT" ? "/srv/y" : null, AppFolder).HostArgs.ShouldBeEmpty();
    }

    [Test]
    public void Host_options_go_to_the_host_wherever_they_stand_and_verb_options_to_the_verb()
    {
        var command = Parse("--URLS", "http://localhost:1", "import", "--dry-run", "--environment=Staging", "--contentRoot", "/c");

        command.Verb.ShouldBe(HostCommand.Import);
        command.IsAnswered.ShouldBeFalse();
        command.Has(CommandLineSyntax.DryRun).ShouldBeTrue();
        command.HostArgs.ShouldBe(["--URLS=http://localhost:1", "--environment=Staging", "--contentRoot=/c"]);
    }

    [Test]
    public void Setting_overrides_take_both_spellings_and_reach_the_host_as_configuration_paths()
    {
        var command = Parse("import", "--Import:MetricsFile=m.json", "--Import__RecordsFile", "r.json", "--Cache:Enabled", "false", "--contentRoot=/c");

        command.HostArgs.ShouldBe(["--Import:MetricsFile=m.json", "--Import:RecordsFile=r.json", "--Cache:Enabled=false", "--contentRoot=/c"]);
        command.Has(CommandLineSyntax.DryRun).ShouldBeFalse();
    }

    [Test]
    public void The_arguments_WebApplicationFactory_passes_are_host_options()
    {
        var command = Parse("--environment=Testing", "--contentRoot=/src/Web", "--applicationName=MetricsEngine.Web");

        command.IsAnswered.ShouldBeFalse();
        command.IsVerb.ShouldBeFalse();
        command.HostArgs.Length.ShouldBe(3);
    }

    [Test]
    public void Repeatable_options_keep_every_value()
    {
        var command = Parse("token", "--scope", "a", "--scope", "b", "--group", "g");

        command.Value(CommandLineSyntax.Scope).ShouldBe(["a", "b"]);
        command.Value(CommandLineSyntax.Group).ShouldBe(["g"]);
        command.Value(CommandLineSyntax.LifetimeMinutes).ShouldBe(60);
    }

    [Test]
    public void Help_is_answered_at_once_with_exit_0()
    {
        var command = Parse("token", "--help");
        using var output = new StringWriter();
        using var error = new StringWriter();

        command.IsAnswered.ShouldBeTrue();
        command.Answer(output, error).ShouldBe(0);
        output.ToString().ShouldContain("--lifetime-minutes <MINUTES>");
        output.ToString().ShouldContain("Works only in Development");
        error.ToString().ShouldBeEmpty();
    }

    [TestCase("--dry-run", "import --dryrun", "--dry-run")]
    [TestCase("a verb", "improt", "import")]
    [TestCase("a verb", "tokn", "token")]
    [TestCase("an option", "token --machien", "--machine")]
    public void A_near_miss_is_answered_with_exit_2_and_what_was_probably_meant(string _, string arguments, string meant)
    {
        var command = Parse(arguments.Split(' '));
        using var output = new StringWriter();
        using var error = new StringWriter();

        command.IsAnswered.ShouldBeTrue();
        command.Answer(output, error).ShouldBe(2);
        error.ToString().ShouldContain($"Did you mean '{meant}'?");
        output.ToString().ShouldBeEmpty();
    }

    [Test]
    public void Other_spellings_of_configuration_are_not_taken_for_host_options()
    {
        // The configuration provider would read these too, but they look like typos and stray words.
        Parse("/urls", "http://x").IsAnswered.ShouldBeTrue();
        Parse("urls=http://x").IsAnswered.ShouldBeTrue();
        Parse("--dry-run").IsAnswered.ShouldBeTrue();
    }
}
