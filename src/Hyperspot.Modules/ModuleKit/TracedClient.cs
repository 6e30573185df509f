using System.Net.Http.Json;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// An HttpClient for outgoing calls from modules. Each call is one client span (kind Client, HTTP semantic
/// conventions, <c>url.full</c> without credentials or query string), a child of the current span, with the
/// W3C context injected as <c>tracing.propagation</c> allows, and error status on 4xx and 5xx answers (the HTTP
/// conventions for client spans) and on transport failures, which also carry one <c>exception</c> event. The span
/// and the injection come from the host's tracing set-up for every HttpClient of the process, so wrapping a client
/// never stacks a second span. Clients from IHttpClientFactory and <see cref="Default"/> also carry the current
/// request's id (<see cref="RequestIdForwardingHandler"/>); a client built with <c>new HttpClient()</c> does not.
/// </summary>
public sealed class TracedClient
{
    private static readonly Lazy<TracedClient> Shared = new(() => new TracedClient(new HttpClient(new RequestIdForwardingHandler(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    }))));

    /// <summary>Wraps <paramref name="inner"/>; registered with <c>services.AddHttpClient&lt;TracedClient&gt;()</c> it comes from IHttpClientFactory.</summary>
    public TracedClient(HttpClient inner) => Inner = inner;

    /// <summary>
    /// A process-wide client with pooled connections, for code that does not use dependency injection. It follows
    /// redirects and has HttpClient's default 100 s timeout, like any <c>new HttpClient()</c>.
    /// </summary>
    public static TracedClient Default => Shared.Value;

    /// <summary>The wrapped client, for building requests by hand (then send them with <see cref="ExecuteAsync"/>).</summary>
    public HttpClient Inner { get; }

    public static TracedClient From(HttpClient client) => new(client);

    public static implicit operator TracedClient(HttpClient client) => new(client);

    public Task<HttpResponseMessage> GetAsync(string url, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);

    public Task<HttpResponseMessage> PostAsync(string url, HttpContent? content, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = content }, cancellationToken);

    /// <summary>POSTs <paramref name="value"/> as JSON.</summary>
    public Task<HttpResponseMessage> PostAsJsonAsync<T>(string url, T value, CancellationToken cancellationToken = default) =>
        PostAsync(url, JsonContent.Create(value), cancellationToken);

    public Task<HttpResponseMessage> PutAsync(string url, HttpContent? content, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new HttpRequestMessage(HttpMethod.Put, url) { Content = content }, cancellationToken);

    public Task<HttpResponseMessage> PatchAsync(string url, HttpContent? content, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new HttpRequestMessage(HttpMethod.Patch, url) { Content = content }, cancellationToken);

    public Task<HttpResponseMessage> DeleteAsync(string url, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new HttpRequestMessage(HttpMethod.Delete, url), cancellationToken);

    /// <summary>
    /// Sends a request built by hand. Like the other methods it reads the whole answer into memory before returning
    /// (bounded only by the inner client's <c>MaxResponseContentBufferSize</c>); use the overload taking
    /// <see cref="HttpCompletionOption.ResponseHeadersRead"/> to read a large or untrusted answer as a stream.
    /// </summary>
    public Task<HttpResponseMessage> ExecuteAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        Inner.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>Sends a request built by hand, returning as soon as <paramref name="completion"/> says.</summary>
    public Task<HttpResponseMessage> ExecuteAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken = default) =>
        Inner.SendAsync(request, completion, cancellationToken);
}
