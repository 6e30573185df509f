using System.Globalization;

namespace Hyperspot.Modules.Examples;

/// <summary>
/// <c>relay_allowed_hosts</c> as a check: a host is allowed when it equals an entry, compared without case, IPv6
/// brackets or the difference between a Unicode and a punycode name. Names are compared as written, never resolved:
/// an entry is trusted to resolve where DNS says, and an IP address entry allows that address only.
/// </summary>
public sealed class RelayHosts
{
    public const string ConfigPath = "modules.examples.config.relay_allowed_hosts";

    private static readonly IdnMapping Mapping = new();

    private readonly HashSet<string> _allowed;

    public RelayHosts(IEnumerable<string> allowed) =>
        _allowed = new HashSet<string>(allowed.Select(Normalize).SelectMany(h => new[] { h, Punycode(h) }), StringComparer.OrdinalIgnoreCase);

    public bool Allows(Uri uri) => Allows(uri.IdnHost) || Allows(uri.Host);

    public bool Allows(string host) => _allowed.Contains(Normalize(host));

    private static string Punycode(string host)
    {
        try
        {
            return Mapping.GetAscii(host);
        }
        catch (ArgumentException)
        {
            return host;
        }
    }

    private static string Normalize(string host)
    {
        host = host.Trim();
        return host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
    }
}
