using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace MetricsEngine.Web.Authentication;

/// <summary>
/// Makes the first request with a newly rotated key succeed. JwtBearer asks the key source for a
/// refresh when it meets an unknown key id, but still refuses the request that revealed it. Here
/// the source is asked again (it fetches inline, throttled) and the same token is validated once
/// more with the same parameters and the fresh keys.
/// </summary>
internal static class KeyRotation
{
    public static async Task<bool> TryRevalidateWithFreshKeysAsync(AuthenticationFailedContext context)
    {
        var options = context.Options;
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException
            || options.ConfigurationManager is null
            || BearerToken(context.HttpContext) is not { } token)
        {
            return false;
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            options.ConfigurationManager.RequestRefresh();
            configuration = await options.ConfigurationManager.GetConfigurationAsync(context.HttpContext.RequestAborted);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        var parameters = options.TokenValidationParameters.Clone();
        parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        foreach (var handler in options.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, parameters);
            if (result.IsValid)
            {
                context.Principal = new ClaimsPrincipal(result.ClaimsIdentity);
                context.Success();
                return true;
            }
        }

        return false;
    }

    private static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
