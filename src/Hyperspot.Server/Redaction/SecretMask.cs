using System.Text;
using Hyperspot.Server.Configuration;

namespace Hyperspot.Server.Redaction;

/// <summary>
/// Makes a text about an export safe to print: the exporter's secrets (header values, the endpoint's credentials and
/// query values) masked wherever they appear, even quoted back by a backend; URL credentials masked; control
/// characters escaped so that a backend's answer cannot forge a line; the length bounded.
/// </summary>
public sealed class SecretMask
{
    /// <summary>Texts shorter than this are not masked on their own (they would mask ordinary words).</summary>
    private const int MinSecretLength = 4;

    private readonly string[] _secrets;

    public SecretMask(ExporterSettings exporter)
        : this(exporter.Headers.Values.Concat(EndpointSecrets(exporter.Endpoint)))
    {
    }

    public SecretMask(IEnumerable<string> secrets)
    {
        _secrets = [.. secrets
            .SelectMany(SecretRedactor.QuotableParts)
            .Where(s => s.Length >= MinSecretLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)];
    }

    /// <summary>
    /// A URL as it may be shown: credentials masked and every query value masked, for the configured endpoint or
    /// any URL derived from it.
    /// </summary>
    public static string Url(Uri url)
    {
        var text = SecretRedactor.RedactUrlCredentialsInValue(url.GetComponents(UriComponents.SchemeAndServer | UriComponents.UserInfo | UriComponents.Path, UriFormat.UriEscaped));
        return url.Query.Length > 1 ? text + SecretRedactor.RedactQuery(url.Query) : text;
    }

    /// <summary>The text with secrets masked, control characters escaped, at most <paramref name="maxLength"/> characters.</summary>
    public string Apply(string text, int maxLength = 500)
    {
        var masked = SecretRedactor.RedactUrlCredentials(text);
        foreach (var secret in _secrets)
        {
            masked = masked.Replace(secret, SecretRedactor.Mask, StringComparison.Ordinal);
        }

        masked = Escape(masked);
        return masked.Length > maxLength ? masked[..maxLength] + "…" : masked;
    }

    /// <summary>CR, LF, ESC and every other control character written as <c>\r</c>, <c>\n</c>, <c>\u001b</c>.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>The endpoint's own secrets: its <c>user:password</c> and its query values.</summary>
    private static IEnumerable<string> EndpointSecrets(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            yield break;
        }

        if (uri.UserInfo.Length > 0)
        {
            yield return uri.UserInfo;
            yield return Uri.UnescapeDataString(uri.UserInfo);
            foreach (var part in uri.UserInfo.Split(':'))
            {
                yield return Uri.UnescapeDataString(part);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                yield return pair[(equals + 1)..];
                yield return Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }
    }
}
