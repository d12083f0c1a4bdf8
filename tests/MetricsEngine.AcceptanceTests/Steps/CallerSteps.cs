using TechTalk.SpecFlow;

namespace MetricsEngine.AcceptanceTests.Steps;

/// <summary>Who calls: the token the scenario's requests carry. Without one of these steps, an administrator.</summary>
[Binding]
public sealed class CallerSteps(Conversation conversation)
{
    [Given("I call the API as an administrator")]
    public void AsAdministrator() => conversation.CallAs(Tokens.Administrator);

    [Given("I call the API without a token")]
    public void WithoutToken() => conversation.CallAs(_ => null);

    /// <summary>A machine token (client credentials flow); scopes are space-separated, "" for none.</summary>
    [Given(@"I call the API with a token granting ""([^""]*)""")]
    public void WithScopes(string scopes) =>
        conversation.CallAs(c => c.Token(t => t with { Scopes = scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries) }));

    /// <summary>A user's token: Cognito groups, no API scopes.</summary>
    [Given(@"I call the API as the user ""([^""]*)"" in the group ""([^""]*)""")]
    public void AsUserInGroup(string username, string group) => conversation.CallAs(c => c.UserToken(username, group));

    [Given(@"I call the API with a token that is (.*)")]
    public void WithRefusedToken(string shape) =>
        conversation.CallAs(Tokens.Refused.TryGetValue(shape, out var mint)
            ? mint
            : throw new ArgumentException($"No token shape \"{shape}\"; known: {string.Join(", ", Tokens.Refused.Keys)}.", nameof(shape)));
}
