using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Hyperspot.TestBackend;

/// <summary>
/// The real server as a child process (<c>dotnet Hyperspot.Server.dll ...</c>), the way users run it: for exit
/// codes, stderr, signals and ports. Output is captured; <see cref="DisposeAsync"/> kills what is still running.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
    }

    public int ProcessId => _process.Id;

    public string StandardOutput { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    public bool HasExited => _process.HasExited;

    /// <summary>The built server assembly, from the same configuration (Debug/Release) as the running tests.</summary>
    public static string ServerAssemblyPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(TraceViewerLocator.FindRepositoryRoot(), "src", "Hyperspot.Server", "bin", configuration, "net10.0", "Hyperspot.Server.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the server first: {path} is missing.", path);
        }
    }

    /// <summary>Starts the server with <paramref name="arguments"/>; <paramref name="environment"/> entries with a null value are removed.</summary>
    public static ServerProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? TraceViewerLocator.FindRepositoryRoot(),
        };
        start.ArgumentList.Add(ServerAssemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("APP__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (server._stdout) { server._stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (server._stderr) { server._stderr.AppendLine(e.Data); } } };
        process.Exited += (_, _) => server._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Runs the server to completion (for <c>check</c>, <c>--print-config</c>, errors) and returns it exited.</summary>
    public static async Task<ServerProcess> RunToExitAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var server = Start(arguments, environment);
        await server.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return server;
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Waits until <c>GET /healthz</c> answers on <paramref name="port"/>.</summary>
    public async Task WaitUntilReadyAsync(int port, string host = "127.0.0.1", TimeSpan? timeout = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"The server exited with {ExitCode} before it was ready.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            try
            {
                using var response = await client.GetAsync($"http://{host}:{port}/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server did not answer /healthz on port {port}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
    }

    /// <summary>Sends SIGTERM (as an orchestrator does to stop a container).</summary>
    public void Terminate() => SendSignal(15);

    /// <summary>Sends SIGHUP (re-read the configuration).</summary>
    public void Hangup() => SendSignal(1);

    /// <summary>Sends SIGINT (Ctrl-C).</summary>
    public void Interrupt() => SendSignal(2);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _exited.Task.WaitAsync(timeout);
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void SendSignal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
