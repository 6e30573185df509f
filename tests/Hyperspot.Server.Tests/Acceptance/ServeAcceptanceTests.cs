using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hyperspot.Server.Tests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.Server.Tests.Acceptance;

/// <summary>The real server serving on its configured address, and stopping cleanly on a signal.</summary>
public sealed class ServeAcceptanceTests : IDisposable
{
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(5);

    private readonly TempDirectory _directory = new("hyperspot-serve-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_server_started_with_a_config_file_answers_health_on_its_address_and_stops_on_sigterm()
    {
        var port = FreePorts.Pick();
        var home = _directory.Combine("home");
        var path = _directory.Write("server.yaml", $"""
            server:
              home_dir: {home}
              host: 127.0.0.1
              port: {port}
            tracing:
              enabled: true
              service_name: acceptance
              exporter:
                endpoint: http://127.0.0.1:{FreePorts.Pick()}
                timeout_ms: 1000
            """);
        await using var server = ServerProcess.Start(["--config", path]);
        await server.WaitUntilReadyAsync(port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        using (var health = JsonDocument.Parse(await client.GetStringAsync("/health")))
        {
            Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
            Assert.True(health.RootElement.GetProperty("tracing").GetProperty("enabled").GetBoolean());
        }

        using var healthz = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal("ok", await healthz.Content.ReadAsStringAsync());

        var clock = Stopwatch.StartNew();
        server.Terminate();
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < GracefulStop, $"the server took {clock.Elapsed} to stop");
        Assert.DoesNotContain("   at ", server.StandardError);
        Assert.True(File.Exists(Path.Combine(home, "logs", "hyperspot.log")), "the log file is written under home_dir");
    }

    [Fact]
    public async Task A_port_that_is_already_taken_exits_1_with_one_line_and_no_stack_trace()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var path = _directory.Write("taken.yaml", $"server:\n  home_dir: {_directory.Combine("taken-home")}\n  port: {port}\n");

        var server = await ServerProcess.RunToExitAsync(["--config", path]);

        Assert.Equal(1, server.ExitCode);
        var error = Assert.Single(server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: the server failed:", error);
        Assert.Contains(port.ToString(), error);
        Assert.DoesNotContain("   at ", server.StandardError);
    }

    [Fact]
    public async Task Without_a_config_file_the_server_honours_app_variables_and_stops_on_sigint()
    {
        var port = FreePorts.Pick();
        var home = _directory.Combine("not", "yet", "there");
        await using var server = ServerProcess.Start(["-v"], new Dictionary<string, string?>
        {
            ["APP__SERVER__PORT"] = port.ToString(),
            ["APP__SERVER__HOME_DIR"] = home,
            ["APP__MODULES__EXAMPLES__ENABLED"] = "false",
        });
        await server.WaitUntilReadyAsync(port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/examples/v1/upstream/data")).StatusCode);
        Assert.True(Directory.Exists(home), "home_dir is created when missing");

        var clock = Stopwatch.StartNew();
        server.Interrupt();
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < GracefulStop, $"the server took {clock.Elapsed} to stop");
        Assert.Contains("Module system started", server.StandardOutput);
    }

    [Fact]
    public async Task A_home_dir_under_tilde_follows_home_even_before_that_directory_exists()
    {
        var port = FreePorts.Pick();
        var userHome = _directory.Combine("users", "not-created-yet");
        await using var server = ServerProcess.Start([], new Dictionary<string, string?>
        {
            ["HOME"] = userHome,
            ["APP__SERVER__PORT"] = port.ToString(),
            ["APP__SERVER__HOME_DIR"] = "~/hs",
        });
        await server.WaitUntilReadyAsync(port);
        server.Terminate();

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(File.Exists(Path.Combine(userHome, "hs", "logs", "hyperspot.log")), "the log file is under $HOME/hs");
    }

    [Fact]
    public async Task A_server_told_0_0_0_0_says_it_listens_on_all_interfaces()
    {
        var port = FreePorts.Pick();
        await using var server = ServerProcess.Start([], new Dictionary<string, string?>
        {
            ["APP__SERVER__HOST"] = "0.0.0.0",
            ["APP__SERVER__PORT"] = port.ToString(),
            ["APP__SERVER__HOME_DIR"] = _directory.Combine("all"),
        });
        await server.WaitUntilReadyAsync(port);

        Assert.Contains($"Server listening on all interfaces (http://0.0.0.0:{port})", server.StandardOutput);
    }

    [Fact]
    public async Task A_server_on_loopback_says_where_it_listens_and_not_all_interfaces()
    {
        var port = FreePorts.Pick();
        await using var server = ServerProcess.Start([], new Dictionary<string, string?>
        {
            ["APP__SERVER__PORT"] = port.ToString(),
            ["APP__SERVER__HOME_DIR"] = _directory.Combine("loopback"),
        });
        await server.WaitUntilReadyAsync(port);

        Assert.Contains($"Server listening on http://127.0.0.1:{port} (server.host 127.0.0.1)", server.StandardOutput);
        Assert.DoesNotContain("all interfaces", server.StandardOutput);
    }

    /// <summary>A host Kestrel could not parse used to make it listen on every interface ([::]) without a word.</summary>
    [Theory]
    [InlineData("not a host!!")]
    [InlineData("locahost.invalid")]
    public async Task Run_with_a_host_that_is_not_an_address_exits_2_instead_of_listening_everywhere(string host)
    {
        var path = _directory.Write("host.yaml", $"server:\n  home_dir: {_directory.Combine("bad-host")}\n  port: {FreePorts.Pick()}\n  host: \"{host}\"\n");
        await using var server = ServerProcess.Start(["--config", path]);

        var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exited);
        var error = Assert.Single(server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: server.host: ", error);
        Assert.Contains(host, error);
        Assert.DoesNotContain("listening", server.StandardOutput, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Only server.host decides where the server listens: no URL or Kestrel endpoint from the environment adds a listener.</summary>
    [Fact]
    public async Task Urls_and_kestrel_endpoints_from_the_environment_add_no_listener()
    {
        var port = FreePorts.Pick();
        var fromUrls = FreePorts.Pick();
        var fromKestrel = FreePorts.Pick();
        await using var server = ServerProcess.Start([], new Dictionary<string, string?>
        {
            ["APP__SERVER__PORT"] = port.ToString(),
            ["APP__SERVER__HOME_DIR"] = _directory.Combine("env-urls"),
            ["ASPNETCORE_URLS"] = $"http://*:{fromUrls}",
            ["ASPNETCORE_PREFERHOSTINGURLS"] = "true",
            ["Kestrel__Endpoints__Extra__Url"] = $"http://0.0.0.0:{fromKestrel}",
        });
        await server.WaitUntilReadyAsync(port);

        foreach (var other in new[] { fromUrls, fromKestrel })
        {
            using var client = new System.Net.Sockets.TcpClient();
            await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => client.ConnectAsync(IPAddress.Loopback, other));
        }

        Assert.DoesNotContain("all interfaces", server.StandardOutput);
    }
}
