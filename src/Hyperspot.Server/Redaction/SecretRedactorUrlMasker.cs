using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Redaction;

/// <summary>The host's <see cref="IUrlMasker"/>: <see cref="SecretRedactor"/>'s credential and query masking.</summary>
public sealed class SecretRedactorUrlMasker : IUrlMasker
{
    public string Mask(string url)
    {
        var queryAt = url.IndexOf('?', StringComparison.Ordinal);
        var masked = queryAt < 0 ? url : string.Concat(url.AsSpan(0, queryAt + 1), SecretRedactor.RedactQuery(url[(queryAt + 1)..]));
        return SecretRedactor.RedactUrlCredentialsInValue(masked);
    }
}
