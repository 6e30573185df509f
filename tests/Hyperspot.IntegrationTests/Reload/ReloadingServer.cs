using System.Text.Json;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Reload;

/// <summary>
/// The real server started with <c>--config</c> pointing at a file the test then rewrites, the way an operator edits it
/// during an incident: written beside it and renamed over it, as editors and configuration tools do. With
/// <c>linked</c>, the configuration is a symbolic link to a file in another directory, which the server's watcher of
/// the link's directory does not see change: only SIGHUP makes the server read it again.
/// </summary>
public sealed class ReloadingServer : IAsyncDisposable
{
    private ReloadingServer(ServerProcess process, string home, string file, int port, string serviceName)
    {
        (Process, Home, File, Port, ServiceName) = (process, home, file, port, serviceName);
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServerProcess Process { get; }

    public string Home { get; }

    /// <summary>The file the test edits (the link's target when linked).</summary>
    public string File { get; }

    public int Port { get; }

    public string ServiceName { get; }

    public HttpClient Client { get; }

    /// <param name="yaml">A configuration with the placeholders {home}, {port} and {service}.</param>
    public static async Task<ReloadingServer> StartAsync(string yaml, bool linked = false)
    {
        var home = Directory.CreateTempSubdirectory("hyperspot-reload-").FullName;
        var port = FreePorts.Pick();
        var service = "it-" + Guid.NewGuid().ToString("N")[..12];
        var file = linked ? Path.Combine(Directory.CreateDirectory(Path.Combine(home, "real")).FullName, "config.yaml") : Path.Combine(home, "config.yaml");
        var configPath = Path.Combine(home, "config.yaml");
        await ReplaceAsync(file, Fill(yaml, home, port, service));
        if (linked)
        {
            System.IO.File.CreateSymbolicLink(configPath, file);
        }

        var server = new ReloadingServer(ServerProcess.Start(["--config", configPath]), home, file, port, service);
        await server.Process.WaitUntilReadyAsync(port);
        return server;
    }

    /// <summary>Replaces the configuration file whole (written beside it, then renamed over it).</summary>
    public Task WriteAsync(string yaml) => ReplaceAsync(File, Fill(yaml, Home, Port, ServiceName));

    private static string Fill(string yaml, string home, int port, string service) =>
        yaml.Replace("{home}", home).Replace("{port}", port.ToString()).Replace("{service}", service);

    private static async Task ReplaceAsync(string file, string text)
    {
        var temporary = file + ".new";
        await System.IO.File.WriteAllTextAsync(temporary, text);
        System.IO.File.Move(temporary, file, overwrite: true);
    }

    /// <summary>The <c>config</c> object of <c>GET /health</c>.</summary>
    public async Task<JsonElement> ConfigHealthAsync()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/health"));
        return document.RootElement.GetProperty("config").Clone();
    }

    /// <summary>Polls <c>/health</c> until its last reload has <paramref name="result"/>; returns the <c>config</c> object.</summary>
    public async Task<JsonElement> WaitForReloadAsync(string result, long generation, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement config;
        do
        {
            config = await ConfigHealthAsync();
            if (config.GetProperty("last_reload") is { ValueKind: JsonValueKind.Object } last
                && last.GetProperty("result").GetString() == result
                && config.GetProperty("generation").GetInt64() == generation)
            {
                return config;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"/health never showed a reload '{result}' at generation {generation}; last: {config}\nstdout:\n{Process.StandardOutput}");
    }

    /// <summary>Polls the server's standard output until <paramref name="until"/> holds; returns it.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> until, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var output = Process.StandardOutput;
            if (until(output))
            {
                return output;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server's output never showed {what}.\nstdout:\n{Process.StandardOutput}\nstderr:\n{Process.StandardError}");
    }

    public void Hangup() => Process.Hangup();

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
