namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// Adds the current request's id (<see cref="RequestIdForwarding.Current"/>) to an outgoing request, under the
/// configured request id header, unless the request already carries that header (set by the caller, or as one of
/// the client's default headers). The host adds it to every client of IHttpClientFactory, and
/// <see cref="TracedClient.Default"/> has it too.
/// </summary>
public sealed class RequestIdForwardingHandler : DelegatingHandler
{
    public RequestIdForwardingHandler()
    {
    }

    public RequestIdForwardingHandler(HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Apply(request);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Apply(request);
        return base.Send(request, cancellationToken);
    }

    private static void Apply(HttpRequestMessage request)
    {
        if (RequestIdForwarding.Current is { } current && !request.Headers.Contains(current.HeaderName))
        {
            request.Headers.TryAddWithoutValidation(current.HeaderName, current.RequestId);
        }
    }
}
