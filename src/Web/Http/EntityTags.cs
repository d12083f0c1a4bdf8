using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace MetricsEngine.Web.Http;

/// <summary>A definition's entity tag is its version, quoted: <c>"3"</c>. Strong, so If-Match can use it.</summary>
internal static class EntityTags
{
    public static string ForVersion(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The versions an If-Match header accepts: null when there is no header or it is <c>*</c>
    /// (any version), otherwise the versions named by strong tags (possibly none: nothing matches).
    /// </summary>
    public static IReadOnlySet<int>? AcceptedVersions(HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return new HashSet<int>();
        }

        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return null;
        }

        return tags
            .Where(t => !t.IsWeak)
            .Select(t => int.TryParse(t.Tag.AsSpan(1, t.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1)
            .Where(v => v >= 0)
            .ToHashSet();
    }

    /// <summary>If-None-Match names the current tag (weakly compared, as RFC 9110 asks for GET).</summary>
    public static bool IsNotModified(HttpRequest request, string currentTag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(EntityTagHeaderValue.Parse(currentTag), useStrongComparison: false));
}
