using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Interop;

/// <summary>
/// <c>tests/interop/node-service</c> as a child process: a plain <c>node:http</c> service instrumented with the
/// OpenTelemetry JS SDK (W3C trace context and baggage), exporting over OTLP/HTTP.
/// </summary>
public sealed class NodeService : IAsyncDisposable
{
    private const string ReadyLine = "node-service ready on";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeService(Process process, int port, string serviceName)
    {
        _process = process;
        Port = port;
        ServiceName = serviceName;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The service's folder (package.json, package-lock.json, server.js).</summary>
    public static string SourceDirectory => Path.Combine(TraceViewerLocator.FindRepositoryRoot(), "tests", "interop", "node-service");

    public int Port { get; }

    /// <summary>The <c>service.name</c> of the spans it exports.</summary>
    public string ServiceName { get; }

    public HttpClient Client { get; }

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output { get { lock (_output) { return _output.ToString(); } } }

    public string Url(string pathAndQuery) => $"http://127.0.0.1:{Port}{pathAndQuery}";

    /// <summary>
    /// Runs <c>npm ci</c> in <see cref="SourceDirectory"/> unless its dependencies are already installed from the current
    /// <c>package-lock.json</c> (npm writes <c>node_modules/.package-lock.json</c> at the end of a complete install).
    /// </summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            var directory = SourceDirectory;
            var installed = new FileInfo(Path.Combine(directory, "node_modules", ".package-lock.json"));
            if (installed.Exists && installed.LastWriteTimeUtc >= File.GetLastWriteTimeUtc(Path.Combine(directory, "package-lock.json")))
            {
                return;
            }

            var start = new ProcessStartInfo("npm")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            {
                start.ArgumentList.Add(argument);
            }

            var output = new StringBuilder();
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException(
                    $"Could not run npm ({e.Message}). The interop tests need Node.js 20.6+ and npm on PATH; " +
                    $"or install the dependencies by hand: (cd {directory} && npm ci)", e);
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(InstallTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException(
                    $"`npm ci` in {directory} did not finish within {InstallTimeout.TotalMinutes:0} min. Its output:\n{Text(output)}");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"`npm ci` in {directory} failed with exit code {process.ExitCode} (is the npm registry reachable?). Its output:\n{Text(output)}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Starts the service on a free loopback port, exporting its spans to <paramref name="otlpHttpTracesEndpoint"/>, and waits until it listens.</summary>
    public static async Task<NodeService> StartAsync(Uri otlpHttpTracesEndpoint, string? serviceName = null)
    {
        await EnsureInstalledAsync();
        serviceName ??= "node-" + Guid.NewGuid().ToString("N")[..12];
        for (var attempt = 1; ; attempt++)
        {
            var service = Launch(otlpHttpTracesEndpoint, serviceName, FreePorts.Pick());
            try
            {
                await service.WaitUntilReadyAsync();
                return service;
            }
            catch (InvalidOperationException) when (attempt < 3 && service.Output.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                // Someone took the port between picking and binding it: try another one.
                await service.DisposeAsync();
            }
            catch
            {
                await service.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>SIGTERM (the service flushes its spans and exits), then waits; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited && kill(_process.Id, 15) != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        await _exited.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                await StopAsync();
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static NodeService Launch(Uri otlpHttpTracesEndpoint, string serviceName, int port)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = SourceDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.js");

        // Only what is set here configures the service: nothing OTEL_* or NODE_OPTIONS from the test run.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase) || k == "NODE_OPTIONS").ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OTEL_SERVICE_NAME"] = serviceName;
        start.Environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = otlpHttpTracesEndpoint.ToString();

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new NodeService(process, port, serviceName);
        process.OutputDataReceived += (_, e) => service.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => service.OnOutput(e.Data);
        process.Exited += (_, _) => service._exited.TrySetResult();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run node ({e.Message}). The interop tests need Node.js 20.6+ on PATH.", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private async Task WaitUntilReadyAsync()
    {
        var finished = await Task.WhenAny(_ready.Task, _exited.Task, Task.Delay(StartTimeout));
        if (finished == _ready.Task)
        {
            return;
        }

        if (finished == _exited.Task)
        {
            await _process.WaitForExitAsync(); // flushes the output readers
            throw new InvalidOperationException($"The Node service exited with code {_process.ExitCode} while starting. Its output:\n{Output}");
        }

        throw new TimeoutException($"The Node service did not print '{ReadyLine}' within {StartTimeout.TotalSeconds:0} s. Its output:\n{Output}");
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith(ReadyLine, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
