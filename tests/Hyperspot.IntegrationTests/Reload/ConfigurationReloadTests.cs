using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Reload;

/// <summary>
/// Reloads of the configuration file on a running server under load: log levels applied live, a broken file refused
/// with every bad key named while the server keeps its settings, a key that needs a restart named as such.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class ConfigurationReloadTests(BackendFixture fixture)
{
    private const string RequestLog = "Hyperspot.Server.RequestLog: HTTP GET /healthz";
    private const string TracedRequest = "Hyperspot.Server.RequestLog: HTTP GET /examples/v1/users/42";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private AspireDashboard Backend => fixture.Backend;

    private string Config(string strategy = "always_on", string logging = "", string port = "{port}", string token = "first-secret-token") =>
        ReloadConfigs.With(Backend.OtlpGrpcEndpoint.ToString(), strategy, logging, port, $"headers:\n  x-api-key: \"{token}\"");

    /// <summary><c>/healthz</c> is logged at debug under the request log's category: shown only while that category is at debug.</summary>
    [Fact]
    public async Task A_category_lowered_to_debug_shows_its_debug_lines_and_raised_back_stops_them()
    {
        await using var server = await ReloadingServer.StartAsync(Config());
        await using var load = new SteadyLoad(server.Client, "/healthz", "/examples/v1/users/42");
        await load.WaitForMoreAsync(20, Wait);
        Assert.DoesNotContain(DebugLines(server.Process.StandardOutput), line => line.Contains(RequestLog, StringComparison.Ordinal));

        await server.WriteAsync(Config(logging: "Hyperspot.Server.RequestLog:\n  console_level: \"debug\""));
        await server.WaitForOutputAsync(
            output => DebugLines(output).Any(line => line.Contains(RequestLog, StringComparison.Ordinal)), Wait, "a debug line of the request log");
        await server.WaitForReloadAsync("applied", 2, Wait);

        await server.WriteAsync(Config());
        await server.WaitForReloadAsync("applied", 3, Wait);
        // Lines after the reload line and two traced requests: every request logged there was decided at the new level.
        var output = await server.WaitForOutputAsync(output => After(output, "generation 3").Split('\n').Count(l => l.Contains(TracedRequest, StringComparison.Ordinal)) >= 6, Wait, "six requests after the reload");
        var settled = After(output, "generation 3").Split('\n').SkipWhile(l => !l.Contains(TracedRequest, StringComparison.Ordinal)).Skip(1)
            .SkipWhile(l => !l.Contains(TracedRequest, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(DebugLines(string.Join('\n', settled)), line => line.Contains(RequestLog, StringComparison.Ordinal));
        Assert.Contains("logging.Hyperspot.Server.RequestLog.console_level = debug -> (unset)", output);
        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Answered} requests failed; first: {load.FirstFailure}");
    }

    [Fact]
    public async Task A_broken_file_is_refused_naming_every_bad_key_and_the_server_keeps_its_settings()
    {
        await using var server = await ReloadingServer.StartAsync(Config());
        await using var load = new SteadyLoad(server.Client, "/examples/v1/users/42");
        await load.WaitForMoreAsync(20, Wait);

        var broken = Config(strategy: "sometimes").Replace("tracing:\n", "tracing:\n  bogus_key: 1\n");
        await server.WriteAsync(broken);
        var config = await server.WaitForReloadAsync("failed", 1, Wait);
        var error = config.GetProperty("last_reload").GetProperty("error").GetString()!;
        Assert.Contains("tracing.sampler.strategy", error);
        Assert.Contains("tracing.bogus_key", error);
        var refused = server.Process.StandardOutput.Split('\n').Where(l => l.Contains(" ERR ", StringComparison.Ordinal) && l.Contains("refused", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(refused);
        Assert.Contains(server.File, line);
        Assert.Contains("tracing.sampler.strategy", line);
        Assert.Contains("tracing.bogus_key", line);

        // Still always_on: requests after the refusal are traced; none failed.
        var refusedAt = DateTimeOffset.UtcNow;
        await Backend.WaitForSpansAsync(all => all.Any(s => s.ServiceName == server.ServiceName && s.StartTime > refusedAt), Wait);
        await load.WaitForMoreAsync(20, Wait);
        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Answered} requests failed; first: {load.FirstFailure}");

        // The next valid write applies.
        await server.WriteAsync(Config(strategy: "always_off"));
        await server.WaitForReloadAsync("applied", 2, Wait);
    }

    /// <summary>A rotated exporter token needs a restart too: named, its values masked.</summary>
    [Fact]
    public async Task A_changed_port_and_exporter_token_are_named_as_needing_a_restart_and_the_server_keeps_its_port()
    {
        await using var server = await ReloadingServer.StartAsync(Config());
        await using var load = new SteadyLoad(server.Client, "/examples/v1/users/42");
        var otherPort = FreePorts.Pick();

        await server.WriteAsync(Config(port: otherPort.ToString(), token: "second-secret-token"));
        var config = await server.WaitForReloadAsync("unchanged", 1, Wait);
        Assert.Contains("server.port", config.GetProperty("last_reload").GetProperty("restart_required").EnumerateArray().Select(e => e.GetString()));
        var output = await server.WaitForOutputAsync(o => o.Contains("need a restart", StringComparison.Ordinal), Wait, "the restart warning");
        var warning = Assert.Single(output.Split('\n'), l => l.Contains("need a restart", StringComparison.Ordinal));
        Assert.Contains("changes to server.port, tracing.exporter.headers.x-api-key need a restart", warning);
        Assert.Contains(" WRN ", warning);
        Assert.Contains($"server.port = {server.Port} -> {otherPort}", warning);
        Assert.Contains("tracing.exporter.headers.x-api-key = ***REDACTED*** -> ***REDACTED***", warning);
        Assert.DoesNotContain("secret-token", output + server.Process.StandardError + await server.Client.GetStringAsync("/health"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);

        await load.WaitForMoreAsync(20, Wait);
        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Answered} requests failed; first: {load.FirstFailure}");
    }

    /// <summary>Without --config nothing is watched; SIGHUP re-reads the environment and the command line, which cannot have changed.</summary>
    [Fact]
    public async Task Without_a_config_file_SIGHUP_rereads_changes_nothing_and_the_server_keeps_running()
    {
        var home = Directory.CreateTempSubdirectory("hyperspot-reload-").FullName;
        var port = FreePorts.Pick();
        await using var process = ServerProcess.Start([], new Dictionary<string, string?> { ["APP__SERVER__PORT"] = port.ToString(), ["APP__SERVER__HOME_DIR"] = home });
        await process.WaitUntilReadyAsync(port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        process.Hangup();

        var deadline = DateTime.UtcNow + Wait;
        while (!process.StandardOutput.Contains("nothing changed", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, $"no reload line; exited: {process.HasExited}\n{process.StandardOutput}");
            await Task.Delay(100);
        }

        var health = await client.GetStringAsync("/health");
        Assert.Contains("\"generation\":1", health);
        Assert.Contains("\"result\":\"unchanged\"", health);
        Assert.Contains("no --config file", process.StandardOutput);
        Directory.Delete(home, recursive: true);
    }

    private static IEnumerable<string> DebugLines(string output) =>
        output.Split('\n').Where(line => line.Contains(" DBG ", StringComparison.Ordinal));

    private static string After(string output, string marker) =>
        output.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0 ? output[at..] : "";
}
