using Hyperspot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>The log file cannot be written, or is written faster than it may grow.</summary>
public sealed class LogDiskTests(ITestOutputHelper output)
{
    private const long Megabyte = 1024 * 1024;

    /// <summary>
    /// The tests run as root, for whom permissions stop nothing, so the log path goes through a regular file
    /// (<c>{home}/config.yaml</c>, which the test writes before starting the server): no directory can be made there.
    /// </summary>
    [Fact]
    public async Task Unwritable_log_path_fails_start_up_with_exit_2_naming_it_unless_the_file_is_optional()
    {
        static string Yaml(bool required) => $$"""
            server:
              home_dir: "{home}"
              port: {port}
            logging:
              default:
                console_level: "info"
                file: "{home}/config.yaml/logs/x.log"
                file_required: {{(required ? "true" : "false")}}
            """;
        var servers = await Task.WhenAll(
            TestServer.StartAsync(Yaml(required: true), waitUntilReady: false),
            TestServer.StartAsync(Yaml(required: false)));
        await using var required = servers[0];
        await using var optional = servers[1];

        Assert.Equal(2, await required.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var path = Path.Combine(required.Home, "config.yaml", "logs", "x.log");
        Assert.Contains($"cannot write the log file {path}", required.Process.StandardError);
        Assert.Contains("logging.default.file", required.Process.StandardError);
        Assert.DoesNotContain("Unhandled", required.Process.StandardError + required.Process.StandardOutput);
        Assert.DoesNotContain("Now listening", required.Process.StandardOutput);

        for (var i = 0; i < 3; i++)
        {
            using var response = await optional.Client.GetAsync("/examples/v1/upstream/data");
            Assert.Equal(200, (int)response.StatusCode);
        }

        Assert.Equal(0, await optional.StopAsync());
        var console = optional.Process.StandardOutput;
        var optionalPath = Path.Combine(optional.Home, "config.yaml", "logs", "x.log");
        var warning = Assert.Single(console.Split('\n'), l => l.Contains(optionalPath));
        Assert.Contains(" WRN ", warning);
        Assert.Contains("logging to the console only", warning);
        Assert.Equal(3, console.Split('\n').Count(l => l.Contains("HTTP GET /examples/v1/upstream/data responded 200")));
        Assert.Equal("", optional.Process.StandardError);
    }

    /// <summary>
    /// Long 404 paths make each request line ~8 KB; several clients at once write ~10 MB while the folder is measured
    /// every 20 ms. It may hold the current file and <c>max_backups</c> rolled ones, each at most <c>max_size_mb</c>
    /// plus the one line that crossed the limit.
    /// </summary>
    [Fact]
    public async Task Under_sustained_load_the_log_folder_never_exceeds_max_backups_plus_one_files_of_max_size()
    {
        await using var server = await TestServer.StartAsync("""
            server:
              home_dir: "{home}"
              port: {port}
            logging:
              default:
                console_level: "error"
                file: "logs/hyperspot.log"
                file_level: "info"
                max_size_mb: 1
                max_backups: 2
            """);
        var folder = Path.Combine(server.Home, "logs");
        var longPath = "/not-here/" + new string('x', 8000);
        const int Requests = 1300;
        long largest = 0;
        var mostFiles = 0;
        using (var sampling = new CancellationTokenSource())
        {
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    var files = Directory.Exists(folder) ? new DirectoryInfo(folder).GetFiles() : [];
                    largest = Math.Max(largest, files.Sum(f => SafeLength(f)));
                    mostFiles = Math.Max(mostFiles, files.Length);
                    await Task.Delay(20);
                }
            });
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) < Requests)
                {
                    using var response = await server.Client.GetAsync(longPath);
                    Assert.Equal(404, (int)response.StatusCode);
                }
            }));
            await Task.Delay(1500); // the file sink flushes every second
            sampling.Cancel();
            await sampler;
        }

        Assert.Equal(0, await server.StopAsync());
        var final = new DirectoryInfo(folder).GetFiles();
        var longestLine = final.SelectMany(f => File.ReadLines(f.FullName)).Max(l => l.Length + 1);
        output.WriteLine($"largest folder size seen {largest} bytes, at most {mostFiles} files, longest line {longestLine} bytes; " +
            $"at the end: {string.Join(", ", final.Select(f => $"{f.Name} {f.Length}"))}");

        Assert.True(longestLine > 8000, "the request lines were not written");
        Assert.True(final.Length == 3, $"expected the current file and 2 backups, found {final.Length}");
        var bound = 3 * (1 * Megabyte + longestLine);
        Assert.True(largest <= bound, $"the log folder reached {largest} bytes; bound {bound}");
        Assert.All(final, f => Assert.True(f.Length <= Megabyte + longestLine, $"{f.Name} is {f.Length} bytes"));
    }

    private static long SafeLength(FileInfo file)
    {
        try
        {
            file.Refresh();
            return file.Exists ? file.Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
