using System.Collections.Concurrent;
using System.Net;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Support;

/// <summary>A downstream service on loopback that records the headers and bodies of the requests it receives.</summary>
public sealed class CapturingServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public CapturingServer()
    {
        Port = FreePorts.Pick();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    public async Task<CapturedRequest> WaitForRequestAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Requests.TryPeek(out var request))
            {
                return request;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The capturing server received no request.");
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys
                .Where(k => k is not null)
                .ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers.GetValues(k)!, StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new CapturedRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "", headers, body));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ContinueWith(_ => { });
    }
}

public sealed record CapturedRequest(string Method, string Path, IReadOnlyDictionary<string, string[]> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join(",", values) : null;
}
