using System.Security.Claims;
using System.Security.Cryptography;
using MetricsEngine.Web.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MetricsEngine.UnitTests.Authentication;

public sealed class ValidatedTokenCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly SettableClock _clock = new(Start);
    private readonly RsaSecurityKey _key = NewKey("current");
    private CountingHandler _inner = null!;
    private ValidatedTokenCache _cache = null!;

    [SetUp]
    public void SetUp()
    {
        _inner = new CountingHandler();
        _cache = new ValidatedTokenCache(_inner, _clock, capacity: 4);
    }

    [Test]
    public async Task A_token_seen_again_is_not_verified_again()
    {
        var token = Sign(_key, expires: Start.AddHours(1));

        (await _cache.ValidateTokenAsync(token, Parameters(_key))).IsValid.ShouldBeTrue();
        var second = await _cache.ValidateTokenAsync(token, Parameters(_key));

        second.IsValid.ShouldBeTrue();
        second.ClaimsIdentity.FindFirst("client_id")?.Value.ShouldBe("dashboard");
        _inner.Calls.ShouldBe(1);
    }

    [Test]
    public async Task Each_request_gets_an_identity_of_its_own()
    {
        var token = Sign(_key, expires: Start.AddHours(1));
        var first = await _cache.ValidateTokenAsync(token, Parameters(_key));

        var second = await _cache.ValidateTokenAsync(token, Parameters(_key));
        second.ClaimsIdentity.AddClaim(new Claim("added", "by one request"));
        var third = await _cache.ValidateTokenAsync(token, Parameters(_key));

        second.ClaimsIdentity.ShouldNotBeSameAs(first.ClaimsIdentity);
        third.ClaimsIdentity.FindFirst("added").ShouldBeNull();
    }

    [Test]
    public async Task A_token_with_any_byte_changed_is_verified_and_refused()
    {
        var token = Sign(_key, expires: Start.AddHours(1));
        await _cache.ValidateTokenAsync(token, Parameters(_key));

        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        var result = await _cache.ValidateTokenAsync(tampered, Parameters(_key));

        result.IsValid.ShouldBeFalse();
        _inner.Calls.ShouldBe(2);
    }

    [Test]
    public async Task Refusals_are_never_remembered()
    {
        var token = Sign(NewKey("stranger"), expires: Start.AddHours(1));

        (await _cache.ValidateTokenAsync(token, Parameters(_key))).IsValid.ShouldBeFalse();
        (await _cache.ValidateTokenAsync(token, Parameters(_key))).IsValid.ShouldBeFalse();

        _inner.Calls.ShouldBe(2);
    }

    [Test]
    public async Task An_expired_token_is_verified_again_and_refused()
    {
        var token = Sign(_key, expires: Start.AddMinutes(10));
        await _cache.ValidateTokenAsync(token, Parameters(_key));

        _clock.Now = Start.AddMinutes(11);
        var result = await _cache.ValidateTokenAsync(token, Parameters(_key));

        result.IsValid.ShouldBeFalse();
        _inner.Calls.ShouldBe(2);
    }

    [Test]
    public async Task A_key_rotated_out_of_the_key_set_ends_reuse_of_its_tokens()
    {
        var token = Sign(_key, expires: Start.AddHours(1));
        await _cache.ValidateTokenAsync(token, Parameters(_key));

        var result = await _cache.ValidateTokenAsync(token, Parameters(NewKey("next")));

        result.IsValid.ShouldBeFalse();
        _inner.Calls.ShouldBe(2);
    }

    [Test]
    public async Task Memory_stays_bounded_when_many_distinct_tokens_arrive()
    {
        var tokens = Enumerable.Range(0, 6).Select(i => Sign(_key, expires: Start.AddHours(1), subject: $"user-{i}")).ToList();
        foreach (var token in tokens)
        {
            await _cache.ValidateTokenAsync(token, Parameters(_key));
        }

        // Capacity 4: the fifth token started the set afresh, so the first is verified again.
        await _cache.ValidateTokenAsync(tokens[0], Parameters(_key));
        await _cache.ValidateTokenAsync(tokens[5], Parameters(_key));

        _inner.Calls.ShouldBe(7);
    }

    private TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = "https://issuer.test",
        ValidateAudience = false,
        IssuerSigningKeys = [key],
        ClockSkew = TimeSpan.Zero,
        LifetimeValidator = (notBefore, expires, _, _) => expires > _clock.GetUtcNow().UtcDateTime,
    };

    private static string Sign(RsaSecurityKey key, DateTimeOffset expires, string subject = "user-1") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://issuer.test",
            IssuedAt = Start.UtcDateTime,
            NotBefore = Start.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object> { ["client_id"] = "dashboard", ["sub"] = subject },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

    private static RsaSecurityKey NewKey(string id) => new(RSA.Create(2048)) { KeyId = id };

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _real = new();

        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return _real.ValidateTokenAsync(token, validationParameters);
        }
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
