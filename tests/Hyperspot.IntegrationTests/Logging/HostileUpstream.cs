using System.Net;
using System.Net.Sockets;
using System.Text;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Logging;

/// <summary>
/// An upstream on loopback that answers every request with the same raw bytes (Latin-1), whatever HTTP says: for
/// answers that HttpClient refuses, and whose refusal message quotes what the upstream sent.
/// </summary>
public sealed class HostileUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly byte[] _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public HostileUpstream(string answer)
    {
        _answer = Encoding.Latin1.GetBytes(answer);
        Port = FreePorts.Pick();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public int Answered { get; private set; }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[8192];
                        var read = 0;
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                        timeout.CancelAfter(TimeSpan.FromSeconds(10));
                        while (!Encoding.Latin1.GetString(buffer, 0, read).Contains("\r\n\r\n") && read < buffer.Length)
                        {
                            var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                            if (n == 0)
                            {
                                return;
                            }

                            read += n;
                        }

                        await stream.WriteAsync(_answer, timeout.Token);
                        Answered++;
                    }
                    catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
                    {
                    }
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
