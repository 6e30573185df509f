using System.Net;
using Hyperspot.Server.Tests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.Server.Tests.Host;

/// <summary>
/// What the real server process maps into memory: every assembly loaded costs resident memory for the process's life,
/// so one the configuration does not use is not loaded.
/// </summary>
public sealed class LoadedAssembliesTests : IDisposable
{
    private const string MvcCore = "Microsoft.AspNetCore.Mvc.Core.dll";
    private const string OpenApi = "Microsoft.AspNetCore.OpenApi.dll";

    private readonly TempDirectory _directory = new("hyperspot-assemblies-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task With_docs_off_neither_mvc_nor_openapi_is_loaded()
    {
        var (server, client, port) = await StartAsync(enableDocs: false);
        await using (server)
        using (client)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/examples/v1/users/42")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/nowhere")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/openapi.json")).StatusCode);

            var loaded = LoadedAssemblies(server.ProcessId);
            Assert.Contains("Hyperspot.Server.dll", loaded);
            Assert.DoesNotContain(MvcCore, loaded);
            Assert.DoesNotContain(OpenApi, loaded);
        }
    }

    [Fact]
    public async Task With_docs_on_the_openapi_document_is_served()
    {
        var (server, client, _) = await StartAsync(enableDocs: true);
        await using (server)
        using (client)
        {
            using var document = await client.GetAsync("/openapi.json");

            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
            Assert.Contains("/examples/v1/users/{id}", await document.Content.ReadAsStringAsync());
            Assert.Contains(OpenApi, LoadedAssemblies(server.ProcessId));
        }
    }

    private async Task<(ServerProcess Server, HttpClient Client, int Port)> StartAsync(bool enableDocs)
    {
        var port = FreePorts.Pick();
        var path = _directory.Write($"docs-{enableDocs}.yaml", $"""
            server:
              home_dir: {_directory.Combine("home")}
              host: 127.0.0.1
              port: {port}
              enable_docs: {(enableDocs ? "true" : "false")}
            tracing:
              enabled: false
            modules:
              examples:
                enabled: true
            """);
        var server = ServerProcess.Start(["--config", path]);
        await server.WaitUntilReadyAsync(port);
        return (server, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) }, port);
    }

    private static HashSet<string> LoadedAssemblies(int processId) =>
        File.ReadLines($"/proc/{processId}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[^1].EndsWith(".dll", StringComparison.Ordinal))
            .Select(fields => Path.GetFileName(fields[^1]))
            .ToHashSet(StringComparer.Ordinal);
}
