using System.Security.Cryptography;
using System.Text;

namespace MetricsEngine.Core.Common;

/// <summary>A short, stable digest of some text, for "has this changed since last time" checks.</summary>
public static class Fingerprint
{
    public static string Of(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
