using System.Diagnostics;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Acceptance;

/// <summary>The command users type, from the repository root: relative config paths resolve from there.</summary>
public sealed class DotnetRunTests
{
    [Fact]
    public async Task Dotnet_run_check_accepts_the_guide_config()
    {
        var (exitCode, output) = await DotnetRun("--config", "config/with-tracing.yaml", "check");
        Assert.True(exitCode == 0, output);
        Assert.Contains("Configuration is valid", output);
    }

    [Fact]
    public async Task Dotnet_run_check_names_a_missing_file()
    {
        var (exitCode, output) = await DotnetRun("--config", "config/does-not-exist.yaml", "check");
        Assert.Equal(2, exitCode);
        Assert.Contains("config/does-not-exist.yaml", output);
    }

    private static async Task<(int ExitCode, string Output)> DotnetRun(params string[] arguments)
    {
        var configuration = ServerProcess.ServerAssemblyPath.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TraceViewerLocator.FindRepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--no-build", "-c", configuration, "--project", "src/Hyperspot.Server", "--" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }
}
