using System.Globalization;

namespace Hyperspot.Deployment.Tests.Support;

internal static class Listen
{
    /// <summary>Port of a listen address such as ":80", "0.0.0.0:4317" or "host:4318".</summary>
    public static int PortOf(string address)
    {
        var colon = address.LastIndexOf(':');
        Assert.True(colon >= 0, $"Listen address '{address}' has no port.");
        Assert.True(
            int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port),
            $"Listen address '{address}' has no numeric port.");
        return port;
    }

    /// <summary>Host of an address such as "jaeger:4317" or "http://jaeger:4317".</summary>
    public static string HostOf(string address)
    {
        var rest = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        var colon = rest.LastIndexOf(':');
        return colon < 0 ? rest.TrimEnd('/') : rest[..colon];
    }

    public static int PortOfEndpoint(string address) => PortOf(address.TrimEnd('/'));
}
