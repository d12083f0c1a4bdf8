namespace MetricsEngine.Web.Dashboard;

/// <summary>
/// The link <c>token --dashboard</c> prints: the dashboard on the address this host serves on, with
/// the token in the fragment (<c>/dashboard/#access_token=...</c>), where the page takes it from and
/// removes it. A fragment never reaches a server, a log or a Referer header.
/// </summary>
internal static class DashboardLink
{
    public const string DefaultAddress = "http://localhost:8080";

    public static string For(string token, string? urls, string? httpPorts) =>
        $"{BaseAddress(urls, httpPorts)}/dashboard/#access_token={Uri.EscapeDataString(token)}";

    /// <summary>
    /// The first of <c>urls</c> (ASPNETCORE_URLS, --urls), else the first of <c>http_ports</c>,
    /// else the host's default; a wildcard host (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>)
    /// becomes localhost, the address a browser on this machine opens.
    /// </summary>
    public static string BaseAddress(string? urls, string? httpPorts)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            var port = httpPorts?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            return port is null ? DefaultAddress : $"http://localhost:{port}";
        }

        var schemeEnd = first.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return DefaultAddress;
        }

        var scheme = first[..schemeEnd];
        var authority = first[(schemeEnd + 3)..].Split('/')[0];
        var portStart = authority.LastIndexOf(':');
        var (host, portPart) = portStart > authority.LastIndexOf(']') ? (authority[..portStart], authority[portStart..]) : (authority, string.Empty);
        if (host is "+" or "*" or "0.0.0.0" or "[::]" or "")
        {
            host = "localhost";
        }

        return $"{scheme}://{host}{portPart}";
    }
}
