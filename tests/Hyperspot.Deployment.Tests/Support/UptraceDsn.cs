using System.Globalization;
using System.Text.RegularExpressions;

namespace Hyperspot.Deployment.Tests.Support;

/// <summary>An Uptrace DSN: <c>http://TOKEN@HOST:HTTP_PORT?grpc=GRPC_PORT</c>.</summary>
internal sealed partial record UptraceDsn(string Scheme, string Token, string Host, int HttpPort, int GrpcPort)
{
    /// <summary>The DSN Hyperspot.NET sends as the <c>uptrace-dsn</c> header (config/with-uptrace.yaml).</summary>
    public const string Expected = "http://project1_secret@localhost:14318?grpc=14317";

    public static UptraceDsn Parse(string text)
    {
        Assert.True(Uri.TryCreate(text, UriKind.Absolute, out var uri), $"'{text}' is not an absolute URI.");
        Assert.False(string.IsNullOrEmpty(uri!.UserInfo), $"DSN '{text}' has no project token before '@'.");

        var query = uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty, StringComparer.Ordinal);
        Assert.True(query.TryGetValue("grpc", out var grpc), $"DSN '{text}' has no '?grpc=' port.");

        return new UptraceDsn(
            uri.Scheme,
            Uri.UnescapeDataString(uri.UserInfo),
            uri.Host,
            uri.Port,
            int.Parse(grpc!, NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <summary>Every http(s)://token@host...?grpc=N string in a text.</summary>
    public static IReadOnlyList<string> FindAll(string text) =>
        DsnPattern().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"https?://[A-Za-z0-9._~\-]+@[A-Za-z0-9.\-]+(:\d+)?/?\?grpc=\d+")]
    private static partial Regex DsnPattern();
}
