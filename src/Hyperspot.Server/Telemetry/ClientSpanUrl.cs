using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Rewrites <c>url.full</c> of client spans without credentials, query string or fragment, and with the values of
/// <c>;</c> parameters of the path masked (<see cref="SecretRedactor.RedactPath"/>).
/// </summary>
public static class ClientSpanUrl
{
    public static void Sanitize(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            activity.SetTag("url.full", SecretRedactor.RedactPath(uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)));
        }
    }
}
