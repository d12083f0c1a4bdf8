using System.Net;
using System.Security.Claims;
using MetricsEngine.Web.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace MetricsEngine.UnitTests.Authentication;

public sealed class HttpCurrentUserTests
{
    private DefaultHttpContext _http = null!;
    private HttpCurrentUser _user = null!;

    [SetUp]
    public void SetUp()
    {
        _http = new DefaultHttpContext();
        _http.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.7");
        _user = new HttpCurrentUser(new FixedAccessor(_http));
    }

    [Test]
    public void A_user_token_names_the_user_and_keys_it_as_a_user_even_when_it_also_carries_a_client()
    {
        _http.User = Token((CognitoClaims.ClientId, "dashboard"), (CognitoClaims.Subject, "s-1"), (CognitoClaims.Username, "ana"));

        _user.Id.ShouldBe("ana");
        _user.CallerKey.ShouldBe("user:ana");
    }

    [Test]
    public void A_machine_token_is_its_client_and_a_token_with_neither_is_its_subject()
    {
        _http.User = Token((CognitoClaims.Subject, "s-1"), (CognitoClaims.ClientId, "etl"));
        (_user.Id, _user.CallerKey).ShouldBe(("client:etl", "client:etl"));

        _http.User = Token((CognitoClaims.Subject, "s-1"));
        (_user.Id, _user.CallerKey).ShouldBe(("s-1", "sub:s-1"));
    }

    [Test]
    public void Claim_types_are_matched_exactly_as_the_token_writes_them()
    {
        _http.User = Token(("Username", "mallory"), (CognitoClaims.ClientId, "etl"));

        _user.CallerKey.ShouldBe("client:etl");
    }

    [Test]
    public void Without_a_valid_token_the_caller_is_its_address()
    {
        _user.Id.ShouldBe(HttpCurrentUser.System);
        _user.CallerKey.ShouldBe("address:192.0.2.7");
    }

    [Test]
    public void A_principal_set_after_the_first_question_is_read_afresh()
    {
        _user.CallerKey.ShouldBe("address:192.0.2.7");

        _http.User = Token((CognitoClaims.Username, "ana"));

        _user.CallerKey.ShouldBe("user:ana");
        _user.Id.ShouldBe("ana");
    }

    [Test]
    public void Work_outside_a_request_is_the_system()
    {
        var outside = new HttpCurrentUser(new FixedAccessor(null));

        (outside.Id, outside.CallerKey).ShouldBe((HttpCurrentUser.System, HttpCurrentUser.System));
    }

    // As the token handler builds it: claim types compared exactly, as Cognito writes them.
    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new CaseSensitiveClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer"));

    // The framework's accessor keeps its context in an async-local shared by every instance, so
    // one test's request would leak into the next.
    private sealed class FixedAccessor(HttpContext? http) : IHttpContextAccessor
    {
        public HttpContext? HttpContext { get; set; } = http;
    }
}
