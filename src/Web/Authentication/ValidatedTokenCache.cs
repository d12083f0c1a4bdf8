using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MetricsEngine.Web.Authentication;

/// <summary>
/// Remembers access tokens that passed validation, so a dashboard polling with one token pays for
/// the RSA signature check once per token instead of once per request (it was over a third of a
/// cached GET). A token is reused only while it has not expired and the key that verified it is
/// still among the keys in force: a key rotated out of the JWKS ends its tokens' reuse at once.
/// The key is the whole token, signature included, so any changed byte is validated afresh.
/// Refusals are never remembered: every bad token is examined every time.
/// </summary>
internal sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider clock, int capacity = 10_000) : TokenHandler
{
    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        if (_validated.TryGetValue(token, out var remembered))
        {
            if (remembered.ExpiresAt > now && IsInForce(remembered.SigningKey, validationParameters))
            {
                return remembered.Fresh();
            }

            _validated.TryRemove(token, out _);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, SecurityToken: JsonWebToken { SigningKey: { } key } jwt, ClaimsIdentity: { } identity })
        {
            Remember(token, new Validated(result, identity, key, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero)), now);
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private void Remember(string token, Validated validated, DateTimeOffset now)
    {
        if (_validated.Count >= capacity)
        {
            // Bounded without bookkeeping per hit: drop what has expired, and if every entry is
            // still live (a flood of distinct valid tokens), start again from empty.
            foreach (var (key, entry) in _validated)
            {
                if (entry.ExpiresAt <= now)
                {
                    _validated.TryRemove(key, out _);
                }
            }

            if (_validated.Count >= capacity)
            {
                _validated.Clear();
            }
        }

        _validated[token] = validated;
    }

    private static bool IsInForce(SecurityKey key, TokenValidationParameters parameters) =>
        ReferenceEquals(parameters.IssuerSigningKey, key)
        || (parameters.IssuerSigningKeys?.Any(k => ReferenceEquals(k, key)) ?? false);

    private sealed record Validated(TokenValidationResult Result, ClaimsIdentity Identity, SecurityKey SigningKey, DateTimeOffset ExpiresAt)
    {
        // Each request gets an identity of its own, so nothing one request does to its principal
        // can leak into another's.
        public TokenValidationResult Fresh() => new()
        {
            IsValid = true,
            SecurityToken = Result.SecurityToken,
            ClaimsIdentity = Identity.Clone(),
            Issuer = Result.Issuer,
            TokenType = Result.TokenType,
        };
    }
}
