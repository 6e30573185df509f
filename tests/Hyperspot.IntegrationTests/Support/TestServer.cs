using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Support;

/// <summary>
/// The real server process with a YAML configuration written for one test: its own home directory, a free port,
/// a unique service name, exporting to the test backend.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(ServerProcess process, string home, int port, string serviceName)
    {
        Process = process;
        Home = home;
        Port = port;
        ServiceName = serviceName;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServerProcess Process { get; }

    public string Home { get; }

    public int Port { get; }

    public string ServiceName { get; }

    public HttpClient Client { get; }

    public string LogFile => Path.Combine(Home, "logs", "hyperspot.log");

    /// <summary>
    /// Starts the server. <paramref name="yaml"/> may use the placeholders {home}, {port} and {service}; it is written
    /// to the test's home directory and passed with --config.
    /// </summary>
    public static async Task<TestServer> StartAsync(string yaml, IReadOnlyDictionary<string, string?>? environment = null, IEnumerable<string>? extraArguments = null, bool waitUntilReady = true)
    {
        var home = Directory.CreateTempSubdirectory("hyperspot-it-").FullName;
        var port = FreePorts.Pick();
        var service = "it-" + Guid.NewGuid().ToString("N")[..12];
        var text = yaml.Replace("{home}", home).Replace("{port}", port.ToString()).Replace("{service}", service);
        var path = Path.Combine(home, "config.yaml");
        await File.WriteAllTextAsync(path, text);
        var process = ServerProcess.Start(["--config", path, .. extraArguments ?? []], environment);
        var server = new TestServer(process, home, port, service);
        if (waitUntilReady)
        {
            await process.WaitUntilReadyAsync(port);
        }

        return server;
    }

    /// <summary>SIGTERM, then wait for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (Process.HasExited)
        {
            return Process.ExitCode;
        }

        Process.Terminate();
        return await Process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
