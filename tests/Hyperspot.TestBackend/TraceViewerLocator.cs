using System.Diagnostics;

namespace Hyperspot.TestBackend;

/// <summary>Finds the Aspire.Dashboard binary through <c>tools/trace-viewer/run.sh --print-path</c>.</summary>
public static class TraceViewerLocator
{
    private const string SolutionFile = "Hyperspot.sln";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);
    private static string? s_binaryPath;

    // Variables a parent `dotnet build`/`dotnet test` may set that would confuse the script's own `dotnet restore`.
    private static readonly string[] InheritedMsBuildVariables =
    [
        "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly",
    ];

    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Cannot find the repository root: no folder above {AppContext.BaseDirectory} contains {SolutionFile}.");
    }

    public static async Task<string> LocateBinaryAsync(CancellationToken ct)
    {
        if (s_binaryPath is { } known && File.Exists(known))
        {
            return known;
        }

        await Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (s_binaryPath is { } cached && File.Exists(cached))
            {
                return cached;
            }

            s_binaryPath = await RunScriptAsync(ct).ConfigureAwait(false);
            return s_binaryPath;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> RunScriptAsync(CancellationToken ct)
    {
        var script = Path.Combine(FindRepositoryRoot(), "tools", "trace-viewer", "run.sh");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} does not exist.");
        }

        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("--print-path");
        foreach (var name in InheritedMsBuildVariables)
        {
            psi.Environment.Remove(name);
        }

        // Under `dotnet test`, DOTNET_HOST_PATH names the dotnet that runs us; make sure the script finds one.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnetHost
            && Path.GetDirectoryName(dotnetHost) is { Length: > 0 } dotnetDir)
        {
            psi.Environment["PATH"] = dotnetDir + Path.PathSeparator + (psi.Environment.TryGetValue("PATH", out var searchPath) ? searchPath : "");
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{script} --print-path did not finish within {ScriptTimeout}.");
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        var path = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (process.ExitCode != 0 || path is null || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{script} --print-path failed (exit code {process.ExitCode}).\nstdout:\n{output}\nstderr:\n{errors}");
        }

        return path;
    }
}
