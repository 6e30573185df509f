using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hyperspot.IntegrationTests.Modules;

/// <summary>What <see cref="ScriptedUpstream"/> does with a request.</summary>
public enum UpstreamBehaviour
{
    /// <summary>Answers 200 with <c>{}</c>.</summary>
    Ok,

    /// <summary>Answers 307 to <see cref="ScriptedUpstream.RedirectTo"/>.</summary>
    Redirect,

    /// <summary>Reads the request and never answers.</summary>
    Silent,

    /// <summary>Answers 200 with a chunked body that goes on for <see cref="ScriptedUpstream.EndlessBytes"/> bytes.</summary>
    EndlessBody,

    /// <summary>Answers 200 declaring a terabyte of body, then sends a few bytes and stalls.</summary>
    HugeContentLength,
}

/// <summary>
/// A hostile HTTP upstream on 127.0.0.1, written on raw sockets so that it can misbehave: it counts every TCP
/// connection it accepts (so a test can prove a host was never reached) and records each request line.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    /// <summary>Bounded so that a relay that reads without limit fails a test instead of eating the machine.</summary>
    public const long EndlessBytes = 64L * 1024 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly UpstreamBehaviour _behaviour;
    private readonly Task _loop;
    private int _connections;

    public ScriptedUpstream(UpstreamBehaviour behaviour, string? redirectTo = null)
    {
        _behaviour = behaviour;
        RedirectTo = redirectTo;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public string? RedirectTo { get; }

    public int Connections => Volatile.Read(ref _connections);

    public ConcurrentQueue<string> RequestLines { get; } = new();

    public string Url(string path, string host = "127.0.0.1") => $"http://{host}:{Port}{path}";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        try
        {
            var head = await ReadHeadAsync(stream);
            RequestLines.Enqueue(head.Split("\r\n")[0]);
            switch (_behaviour)
            {
                case UpstreamBehaviour.Ok:
                    await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                    break;
                case UpstreamBehaviour.Redirect:
                    await WriteAsync(stream, $"HTTP/1.1 307 Temporary Redirect\r\nLocation: {RedirectTo}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    break;
                case UpstreamBehaviour.Silent:
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    break;
                case UpstreamBehaviour.EndlessBody:
                    await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                    var chunk = Encoding.ASCII.GetBytes($"4000\r\n{new string(' ', 0x4000)}\r\n");
                    for (long sent = 0; sent < EndlessBytes; sent += 0x4000)
                    {
                        await stream.WriteAsync(chunk, _stop.Token);
                    }

                    await WriteAsync(stream, "0\r\n\r\n");
                    break;
                case UpstreamBehaviour.HugeContentLength:
                    await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n[1,2,3");
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // The caller hung up (as a bounded reader does), or the test is over.
        }
    }

    /// <summary>The request line and headers; a body announced by Content-Length is read and dropped.</summary>
    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 65536 && await stream.ReadAsync(one, _stop.Token) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
            {
                break;
            }
        }

        var head = Encoding.ASCII.GetString(bytes.ToArray());
        var length = head.Split("\r\n")
            .Where(l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l[15..].Trim()))
            .FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return head;
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ContinueWith(_ => { });
        _stop.Dispose();
    }
}
