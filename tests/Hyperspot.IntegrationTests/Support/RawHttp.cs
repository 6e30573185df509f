using System.Net.Sockets;
using System.Text;

namespace Hyperspot.IntegrationTests.Support;

/// <summary>A response read off the wire by <see cref="RawHttp"/>.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body, string Raw)
{
    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}

/// <summary>
/// Sends a request as exact bytes over a TcpClient to 127.0.0.1, for what HttpClient refuses to send
/// (control characters, bare CR or LF in header values, repeated header lines, exact header-name casing).
/// </summary>
public static class RawHttp
{
    /// <summary>
    /// Sends <c>GET path</c> with <paramref name="headerLines"/> written verbatim (each followed by CRLF; Latin-1, so
    /// any byte 0-255 can be put in), <c>Host</c> and <c>Connection: close</c> added, and reads the whole response.
    /// </summary>
    public static async Task<RawResponse> GetAsync(int port, string path, IEnumerable<string> headerLines, TimeSpan? timeout = null)
    {
        var request = new StringBuilder();
        request.Append("GET ").Append(path).Append(" HTTP/1.1\r\n");
        request.Append("Host: 127.0.0.1:").Append(port).Append("\r\n");
        foreach (var line in headerLines)
        {
            request.Append(line).Append("\r\n");
        }

        request.Append("Connection: close\r\n\r\n");
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request.ToString()), cts.Token);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cts.Token);
        return Parse(Encoding.Latin1.GetString(buffer.ToArray()));
    }

    private static RawResponse Parse(string raw)
    {
        var end = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? raw : raw[..end];
        var body = end < 0 ? "" : raw[(end + 4)..];
        var lines = head.Split("\r\n");
        var status = lines[0].Split(' ') is { Length: >= 2 } parts && int.TryParse(parts[1], out var code) ? code : 0;
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .Select(p => new KeyValuePair<string, string>(p[0].Trim(), p[1].Trim()))
            .ToList();
        if (headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body, raw);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        for (var i = 0; i < 10_000 && position < body.Length; i++)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0 || !int.TryParse(body.AsSpan(position, lineEnd - position).Trim(), System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
            {
                break;
            }

            result.Append(body, lineEnd + 2, Math.Min(size, body.Length - lineEnd - 2));
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}
