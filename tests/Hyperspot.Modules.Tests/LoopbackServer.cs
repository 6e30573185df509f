using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Hyperspot.Modules.Tests;

/// <summary>
/// A loopback HTTP server answering every request with a fixed status (and a Location header when given), recording
/// method, path and headers.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();

    public LoopbackServer(int status = 200, string? location = null)
    {
        Port = Listen(_listener);
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    var headers = context.Request.Headers;
                    Received.Enqueue(new ReceivedRequest(
                        context.Request.HttpMethod,
                        context.Request.RawUrl ?? "",
                        headers["traceparent"],
                        headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => headers[k]!, StringComparer.OrdinalIgnoreCase)));
                    context.Response.StatusCode = status;
                    if (location is not null)
                    {
                        context.Response.RedirectLocation = location;
                    }

                    context.Response.Close();
                }
                catch (Exception)
                {
                    return;
                }
            }
        });
    }

    public int Port { get; }

    // The probed port comes from the ephemeral range, where an outgoing connection may take it before the listener
    // binds it: try another one then.
    private static int Listen(HttpListener listener)
    {
        for (var attempt = 1; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return port;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public void Dispose() => _listener.Close();
}

/// <summary>A request as <see cref="LoopbackServer"/> saw it; header values of repeated headers are comma-joined.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? Traceparent, IReadOnlyDictionary<string, string> Headers);
