using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Logging;

/// <summary>Console and file levels, per-category sections, -v, rolling with bounded backups, and file logging off.</summary>
public sealed class LevelsAndFilesTests
{
    private static string Config(string logging) => $$"""
        server:
          home_dir: "{home}"
          port: {port}
        logging:
        {{logging}}
        """;

    [Fact]
    public async Task Console_and_file_levels_and_category_sections_apply_per_sink()
    {
        await using var server = await TestServer.StartAsync(Config("""
              default:
                console_level: "warn"
                file: "logs/hyperspot.log"
                file_level: "info"
              Hyperspot.Modules.Examples:
                file_level: "error"
              Hyperspot.Server.RequestLog:
                console_level: "info"
            """));
        using (var response = await server.Client.GetAsync("/examples/v1/users/5"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        var lines = await LogFile.WaitForLinesAsync(server.LogFile, l => l.Any(x => x.Contains("/examples/v1/users/5 responded 200")));
        Assert.DoesNotContain(lines, l => l.Contains(" DBG "));
        Assert.DoesNotContain(lines, l => l.Contains("Processing user 5"));
        Assert.Contains(lines, l => l.Contains("Now listening on"));
        Assert.Equal(0, await server.StopAsync());
        var console = server.Process.StandardOutput;
        Assert.Contains("/examples/v1/users/5 responded 200", console);
        Assert.DoesNotContain("Now listening on", console);
        Assert.DoesNotContain("Processing user 5", console);
    }

    [Theory]
    [InlineData("-v", "DBG")]
    [InlineData("-vv", "VRB")]
    public async Task Verbose_flags_raise_the_console_level(string flag, string level)
    {
        await using var server = await TestServer.StartAsync(Config("  default:\n    console_level: \"info\"\n    file: \"\""), extraArguments: [flag]);
        using (var response = await server.Client.GetAsync("/examples/v1/users/3"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        Assert.Equal(0, await server.StopAsync());
        Assert.Contains($" {level} ", server.Process.StandardOutput);
        if (level == "DBG")
        {
            Assert.DoesNotContain(" VRB ", server.Process.StandardOutput);
        }
    }

    [Fact]
    public async Task Empty_file_setting_writes_no_log_file()
    {
        await using var server = await TestServer.StartAsync(Config("  default:\n    file: \"\""));
        using (var response = await server.Client.GetAsync("/examples/v1/upstream/data"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        Assert.Equal(0, await server.StopAsync());
        Assert.False(Directory.Exists(Path.Combine(server.Home, "logs")));
        Assert.Contains("/examples/v1/upstream/data responded 200", server.Process.StandardOutput);
    }

    [Fact]
    public async Task File_rolls_by_size_into_numbered_files_and_keeps_at_most_max_backups()
    {
        var yaml = Config("""
              default:
                console_level: "error"
                file: "logs/hyperspot.log"
                file_level: "info"
                max_size_mb: 1
                max_backups: 2
            """);
        await using var server = await TestServer.StartAsync(yaml);
        var longPath = "/not-here/" + new string('x', 8000);
        for (var i = 0; i < 600; i++)
        {
            using var response = await server.Client.GetAsync(longPath);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(0, await server.StopAsync());
        var files = Directory.GetFiles(Path.Combine(server.Home, "logs"));
        Assert.Equal(3, files.Length);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length <= 1024 * 1024 + 9000, $"{f} is {new FileInfo(f).Length} bytes"));
        Assert.Contains(files, f => Path.GetFileName(f) == "hyperspot.log" || Path.GetFileName(f).StartsWith("hyperspot_", StringComparison.Ordinal));

        // As the guide says: rolled files are numbered, the current one is the highest number, and the oldest go first.
        var names = files.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.DoesNotContain("hyperspot.log", names);
        Assert.All(names, n => Assert.Matches(@"^hyperspot_\d{3}\.log$", n));
        var newest = files.OrderByDescending(File.GetLastWriteTimeUtc).First();
        Assert.Equal(names[^1], Path.GetFileName(newest));
        Assert.Contains("/not-here/", File.ReadLines(newest).Last());

        // A server started again on the same home goes on with the highest number (a new one when that file is full).
        await using (var restarted = await TestServer.StartAsync(yaml, extraArguments: [$"--server:home_dir={server.Home}"]))
        {
            using var response = await restarted.Client.GetAsync("/not-here/after-restart");
            Assert.Equal(0, await restarted.StopAsync());
        }

        var afterRestart = Directory.GetFiles(Path.Combine(server.Home, "logs")).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("/not-here/after-restart", File.ReadAllText(afterRestart[^1]));
        Assert.Equal(3, afterRestart.Count);
    }
}
