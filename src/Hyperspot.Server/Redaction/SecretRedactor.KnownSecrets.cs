namespace Hyperspot.Server.Redaction;

/// <summary>
/// Secrets known by value, such as the exporter's header values and the credentials and query values of its
/// endpoint: masked wherever a text quotes them back (a backend's error answer, an exception message), on top of
/// what <see cref="RedactUrlCredentials"/> masks in any text.
/// </summary>
public sealed partial class SecretRedactor
{
    /// <summary>Texts shorter than this are not masked on their own (they would mask ordinary words).</summary>
    private const int MinKnownSecretLength = 4;

    /// <summary>The strings to mask, longest first, so that a secret holding another is masked whole.</summary>
    private readonly string[] _knownSecrets;

    /// <param name="secretValues">Values that are secrets as a whole (header values), with their quotable parts.</param>
    /// <param name="secretUrl">A URL whose <c>user:password</c> and query values are secrets (the exporter's endpoint).</param>
    public SecretRedactor(IEnumerable<string> secretValues, string? secretUrl = null)
    {
        _knownSecrets = [.. secretValues
            .Concat(secretUrl is null ? [] : UrlSecrets(secretUrl))
            .SelectMany(QuotableParts)
            .Where(s => s.Length >= MinKnownSecretLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)];
    }

    /// <summary>
    /// <paramref name="text"/> with the secrets of its URLs (<see cref="RedactUrlCredentials"/>) and every known
    /// secret masked; the same instance when there is nothing to mask.
    /// </summary>
    public string Redact(string text)
    {
        var masked = RedactUrlCredentials(text);
        foreach (var secret in _knownSecrets)
        {
            masked = masked.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return masked;
    }

    /// <summary>A URL's own secrets, as written and unescaped: its <c>user:password</c>, each part of it, and its query values.</summary>
    private static IEnumerable<string> UrlSecrets(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
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
