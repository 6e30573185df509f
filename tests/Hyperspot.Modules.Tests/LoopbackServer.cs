using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Hyperspot.Modules.Tests;

/// <summary>A loopback HTTP server answering every request with a fixed status, recording method, path and headers.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();

    public LoopbackServer(int status = 200)
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    Received.Enqueue((context.Request.HttpMethod, context.Request.RawUrl ?? "", context.Request.Headers["traceparent"]));
                    context.Response.StatusCode = status;
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

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<(string Method, string Path, string? Traceparent)> Received { get; } = new();

    public void Dispose() => _listener.Close();
}
