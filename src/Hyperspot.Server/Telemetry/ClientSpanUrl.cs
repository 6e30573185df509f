using System.Diagnostics;

namespace Hyperspot.Server.Telemetry;

/// <summary>Rewrites <c>url.full</c> of client spans without credentials and without the query string.</summary>
public static class ClientSpanUrl
{
    public static void Sanitize(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            activity.SetTag("url.full", uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));
        }
    }
}
