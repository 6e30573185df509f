using System.Diagnostics;
using System.Text.RegularExpressions;
using Hyperspot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>The log file cannot be written, or is written faster than it may grow.</summary>
public sealed partial class LogDiskTests(ITestOutputHelper output)
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

    /// <summary>
    /// The log folder is a 512 KB tmpfs (the tests run as root, which may mount one), filled up while the server runs:
    /// requests keep being served, stderr says that lines are lost (at once, then at most every 10 s, with counts), every
    /// request line is either in the file or counted, writing resumes by itself when space returns (and stderr says
    /// so), the file holds whole lines only, and SIGTERM still exits 0.
    /// </summary>
    [Fact]
    public async Task A_full_disk_loses_lines_with_warnings_writing_resumes_when_space_returns_and_the_stop_exits_0()
    {
        var folder = Directory.CreateTempSubdirectory("hyperspot-fulldisk-").FullName;
        Assert.True(await RunAsync("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", folder) == 0, $"could not mount a tmpfs on {folder} (the test needs root)");
        try
        {
            await FillAndFreeAsync(folder);
        }
        finally
        {
            await RunAsync("umount", "-l", folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task FillAndFreeAsync(string folder)
    {
        var logFile = Path.Combine(folder, "hyperspot.log");
        await using var server = await TestServer.StartAsync($$"""
            server:
              home_dir: "{home}"
              port: {port}
            logging:
              default:
                console_level: "info"
                file: "{{logFile}}"
                file_level: "info"
            """);
        await LogFile.WaitForLinesAsync(logFile, lines => lines.Any(l => l.Contains("Now listening")));

        var filler = Path.Combine(folder, "filler");
        await using (var fill = new FileStream(filler, FileMode.Create, FileAccess.Write))
        {
            var block = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    fill.Write(block);
                    fill.Flush();
                }
            }
            catch (IOException)
            {
                // Full.
            }
        }

        var full = Stopwatch.StartNew();
        var lost = 0;
        async Task<bool> LoseOneUntil(int warnings)
        {
            using var response = await server.Client.GetAsync($"/lost/{lost++}");
            Assert.Equal(404, (int)response.StatusCode);
            return Reports(server).Count(r => r.StartsWith("warning: ")) >= warnings;
        }

        for (var i = 0; i < 300; i++)
        {
            await LoseOneUntil(0);
        }

        // The first loss is reported at once, the next ones 10 s later: lines are lost all along.
        await WaitForAsync(() => LoseOneUntil(1), "the first loss warning");
        await WaitForAsync(() => LoseOneUntil(2), "the next loss warning");
        var reportsWhileFull = Reports(server).Length;
        File.Delete(filler);
        full.Stop();
        var after = 0;
        await WaitForAsync(
            async () =>
            {
                using var response = await server.Client.GetAsync($"/after/{after++}");
                return Reports(server).Skip(reportsWhileFull).Any(r => r.StartsWith("info: "));
            },
            "the report that writing resumed");
        var lines = await LogFile.WaitForLinesAsync(logFile, l => l.Count(x => x.Contains("HTTP GET /after/")) == after);

        Assert.Equal(0, await server.StopAsync());
        var stderr = server.Process.StandardError;
        output.WriteLine(stderr);
        var reports = Reports(server);
        Assert.All(reports, r => Assert.Contains(logFile, r));
        Assert.DoesNotContain("failed", stderr);
        Assert.StartsWith("warning: cannot write the log file", reports[0]);
        Assert.Contains("(No space left on device)", reports[0]);
        var warnings = reports.Count(r => r.StartsWith("warning: "));
        var infos = reports.Count(r => r.StartsWith("info: "));
        var allowed = 1 + (int)(full.Elapsed.TotalSeconds / 10) + 1;
        Assert.True(warnings <= allowed && infos <= allowed, $"{warnings} warnings and {infos} reports of resumed writing in {full.Elapsed.TotalSeconds:0.0} s");

        var counted = reports.Max(r => long.Parse(InAll().Match(r).Groups[1].Value));
        var written = lines.Count(l => l.Contains("HTTP GET /lost/"));
        output.WriteLine($"{written} of {lost} lines written while full, {counted} counted as lost");
        Assert.True(written < lost, "no line was lost: the disk was not full");
        Assert.True(written + counted >= lost, $"{lost - written - counted} lines were lost without being counted");
        Assert.Equal(lost, server.Process.StandardOutput.Split('\n').Count(l => l.Contains("HTTP GET /lost/")));
        output.WriteLine(await File.ReadAllTextAsync(logFile));
        Assert.All(File.ReadAllLines(logFile), l => Assert.Matches(@"^\d{4}-\d\d-\d\dT[\d:.]{12}[+-]\d\d:\d\d [A-Z]{3} ", l));
    }

    private static string[] Reports(TestServer server) => server.Process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private static async Task<int> RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    [GeneratedRegex(@"\((\d+) (lines lost )?in all\)")]
    private static partial Regex InAll();

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
