using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Hyperspot.TestBackend;

/// <summary>
/// A real OTLP backend for tests: the Aspire Dashboard running as a child process on three free
/// loopback ports (OTLP/gRPC, OTLP/HTTP, UI + query API). Telemetry is kept in memory by the
/// dashboard and read back through its <c>/api/telemetry</c> JSON API.
/// </summary>
/// <remarks>
/// Data is visible to the query methods as soon as the exporter's OTLP request has completed
/// (the dashboard stores it before answering). The dashboard cannot be cleared, so tests that share
/// one instance should pick out their own data (by trace id, service name or span name).
/// A span whose trace id and span id are already stored is rejected, so exporter retries never
/// produce duplicates. By default it keeps at most 10,000 traces and 10,000 log records
/// (see <see cref="AspireDashboardOptions.Settings"/> to change that). Its OTLP/HTTP receiver
/// does not accept gzip-compressed requests; the gRPC one does.
/// </remarks>
public sealed partial class AspireDashboard : IAsyncDisposable
{
    /// <summary>Header the OTLP receivers check in API-key mode.</summary>
    public const string ApiKeyHeaderName = "x-otlp-api-key";

    private const int OutputLinesKept = 200;
    private const int StartAttempts = 3;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly string[] ClearedVariablePrefixes = ["OTEL_", "ASPNETCORE_", "ASPIRE_", "DOTNET_DASHBOARD_", "Dashboard__"];

    private readonly AspireDashboardOptions _options;
    private readonly string _binaryPath;
    private readonly int _uiPort;
    private readonly int _grpcPort;
    private readonly int _httpPort;
    private readonly Queue<string> _output = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "hyperspot-dashboard-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private HttpClient _http;
    private bool _disposed;

    private AspireDashboard(AspireDashboardOptions options, string binaryPath, int uiPort, int grpcPort, int httpPort)
    {
        _options = options;
        _binaryPath = binaryPath;
        _uiPort = uiPort;
        _grpcPort = grpcPort;
        _httpPort = httpPort;
        ApiBaseAddress = new Uri($"http://127.0.0.1:{uiPort}/");
        OtlpGrpcEndpoint = new Uri($"http://127.0.0.1:{grpcPort}");
        OtlpHttpEndpoint = new Uri($"http://127.0.0.1:{httpPort}");
        _http = CreateHttpClient();
        AppDomain.CurrentDomain.ProcessExit += OnHostExit;
    }

    /// <summary>OTLP/gRPC endpoint, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri OtlpGrpcEndpoint { get; }

    /// <summary>OTLP/HTTP base address (no <c>/v1/...</c> path), e.g. <c>http://127.0.0.1:41235</c>.</summary>
    public Uri OtlpHttpEndpoint { get; }

    /// <summary>Full OTLP/HTTP traces URL (<see cref="OtlpHttpEndpoint"/> + <c>/v1/traces</c>).</summary>
    public Uri OtlpHttpTracesEndpoint => new(OtlpHttpEndpoint, "/v1/traces");

    /// <summary>Full OTLP/HTTP logs URL (<see cref="OtlpHttpEndpoint"/> + <c>/v1/logs</c>).</summary>
    public Uri OtlpHttpLogsEndpoint => new(OtlpHttpEndpoint, "/v1/logs");

    /// <summary>Base address of the UI and of the <c>/api/telemetry</c> query API.</summary>
    public Uri ApiBaseAddress { get; }

    /// <summary>The dashboard UI (same as <see cref="ApiBaseAddress"/>; no login needed).</summary>
    public Uri UiAddress => ApiBaseAddress;

    /// <summary>The API key the OTLP receivers require, or <c>null</c> when they are unsecured.</summary>
    public string? ApiKey => _options.ApiKey;

    /// <summary>
    /// Value for <c>OtlpExporterOptions.Headers</c> / <c>OTEL_EXPORTER_OTLP_HEADERS</c>:
    /// <c>x-otlp-api-key=KEY</c> in API-key mode, otherwise an empty string.
    /// </summary>
    public string OtlpHeaders => ApiKey is null ? "" : $"{ApiKeyHeaderName}={ApiKey}";

    /// <summary>Whether the dashboard process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>How long the last (re)start took until the dashboard was ready.</summary>
    public TimeSpan StartupDuration { get; private set; }

    /// <summary>The last lines the dashboard process wrote to stdout/stderr.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>
    /// Locates the binary (downloading the package on first use), starts the dashboard on three
    /// free loopback ports and waits until its API answers and both OTLP ports accept connections.
    /// </summary>
    /// <exception cref="TimeoutException">Not ready within <see cref="AspireDashboardOptions.StartupTimeout"/>; the message includes its output.</exception>
    /// <exception cref="InvalidOperationException">The process exited during start-up; the message includes its output.</exception>
    public static async Task<AspireDashboard> StartAsync(AspireDashboardOptions? options = null, CancellationToken ct = default)
    {
        options ??= new AspireDashboardOptions();
        var binary = options.BinaryPath ?? await TraceViewerLocator.LocateBinaryAsync(ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePorts.Pick(3);
            var dashboard = new AspireDashboard(options, binary, ports[0], ports[1], ports[2]);
            try
            {
                // Another process may grab a picked port before the dashboard binds it: try new ports then.
                if (await dashboard.LaunchAsync(returnFalseOnPortConflict: attempt < StartAttempts, ct).ConfigureAwait(false))
                {
                    return dashboard;
                }
            }
            catch
            {
                await dashboard.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            await dashboard.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills the dashboard process (no graceful shutdown) and waits for it to exit. Received telemetry is lost.</summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Starts the dashboard again on the same ports with the same options (stopping it first if it
    /// is still running). It starts empty: telemetry is kept in memory only.
    /// </summary>
    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await KillAsync().ConfigureAwait(false);
            AddOutput("---- restarted ----");

            // The ports were just released; retry briefly should the OS not hand them back at once.
            var deadline = Stopwatch.StartNew();
            while (!await LaunchAsync(returnFalseOnPortConflict: deadline.Elapsed < TimeSpan.FromSeconds(10), ct).ConfigureAwait(false))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Every span the dashboard holds (no paging: all of them are requested), ordered by start time.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> GetSpansAsync(CancellationToken ct = default)
    {
        using var doc = await GetJsonAsync($"api/telemetry/spans?limit={int.MaxValue}", ct).ConfigureAwait(false);
        return doc is null ? [] : OtlpJsonReader.ReadSpans(doc.RootElement).Spans;
    }

    /// <summary>All spans of one trace ordered by start time, or an empty list when the dashboard has none for it.</summary>
    /// <param name="traceId">Trace id as 32 hex digits (any case).</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<IReadOnlyList<ReceivedSpan>> GetTraceAsync(string traceId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        var id = Uri.EscapeDataString(traceId.Trim().ToLowerInvariant());
        using var doc = await GetJsonAsync($"api/telemetry/spans?traceId={id}&limit={int.MaxValue}", ct).ConfigureAwait(false);
        return doc is null ? [] : OtlpJsonReader.ReadSpans(doc.RootElement).Spans;
    }

    /// <summary>Every log record the dashboard holds, or only those of one trace, ordered by time.</summary>
    /// <param name="traceId">Optional trace id (32 hex digits, any case) to filter on.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<IReadOnlyList<ReceivedLogRecord>> GetLogsAsync(string? traceId = null, CancellationToken ct = default)
    {
        var path = $"api/telemetry/logs?limit={int.MaxValue}";
        if (!string.IsNullOrWhiteSpace(traceId))
        {
            path += "&traceId=" + Uri.EscapeDataString(traceId.Trim().ToLowerInvariant());
        }

        using var doc = await GetJsonAsync(path, ct).ConfigureAwait(false);
        return doc is null ? [] : OtlpJsonReader.ReadLogs(doc.RootElement).Logs;
    }

    /// <summary>The resources (service instances) the dashboard has received telemetry from.</summary>
    public async Task<IReadOnlyList<ReceivedResource>> GetResourcesAsync(CancellationToken ct = default)
    {
        using var doc = await GetJsonAsync("api/telemetry/resources", ct).ConfigureAwait(false);
        return doc is null ? [] : OtlpJsonReader.ReadResources(doc.RootElement);
    }

    /// <summary>
    /// Polls <see cref="GetSpansAsync"/> every 100 ms until <paramref name="until"/> holds and returns that list.
    /// </summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; lists what was received.</exception>
    public Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(
        Func<IReadOnlyList<ReceivedSpan>, bool> until,
        TimeSpan timeout,
        CancellationToken ct = default,
        [CallerArgumentExpression(nameof(until))] string? condition = null)
    {
        ArgumentNullException.ThrowIfNull(until);
        return PollAsync(GetSpansAsync, until, timeout, $"spans matching {condition}", fetchForReport: null, ct);
    }

    /// <summary>
    /// Polls until the trace has at least <paramref name="minimumSpans"/> spans and returns them.
    /// </summary>
    /// <exception cref="TimeoutException">Not enough spans within <paramref name="timeout"/>; lists every span received.</exception>
    public Task<IReadOnlyList<ReceivedSpan>> WaitForTraceAsync(string traceId, int minimumSpans, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return PollAsync(
            c => GetTraceAsync(traceId, c),
            spans => spans.Count >= minimumSpans,
            timeout,
            $"trace {traceId.ToLowerInvariant()} to have at least {minimumSpans} span(s)",
            GetSpansAsync,
            ct);
    }

    /// <summary>
    /// Polls <see cref="GetLogsAsync"/> every 100 ms until <paramref name="until"/> holds and returns that list.
    /// </summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; lists what was received.</exception>
    public Task<IReadOnlyList<ReceivedLogRecord>> WaitForLogsAsync(
        Func<IReadOnlyList<ReceivedLogRecord>, bool> until,
        TimeSpan timeout,
        CancellationToken ct = default,
        [CallerArgumentExpression(nameof(until))] string? condition = null)
    {
        ArgumentNullException.ThrowIfNull(until);
        return PollAsync(c => GetLogsAsync(null, c), until, timeout, $"log records matching {condition}", fetchForReport: null, ct);
    }

    /// <summary>
    /// Watches the received spans for <paramref name="window"/> and fails as soon as one matches
    /// <paramref name="predicate"/>. For asserting that something is NOT exported.
    /// </summary>
    /// <exception cref="InvalidOperationException">A matching span arrived.</exception>
    public async Task ExpectNoSpansAsync(
        Func<ReceivedSpan, bool> predicate,
        TimeSpan window,
        CancellationToken ct = default,
        [CallerArgumentExpression(nameof(predicate))] string? condition = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var matching = (await GetSpansAsync(ct).ConfigureAwait(false)).Where(predicate).ToList();
            if (matching.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Expected no spans matching {condition}, but received {matching.Count}:\n{Describe(matching)}");
            }

            if (elapsed.Elapsed >= window)
            {
                return;
            }

            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the dashboard process.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }

        _http.Dispose();
        DeleteDataDirectory();
    }

    /// <summary>Describes the dashboard's addresses.</summary>
    public override string ToString() =>
        $"Aspire Dashboard (UI/API {ApiBaseAddress}, OTLP/gRPC {OtlpGrpcEndpoint}, OTLP/HTTP {OtlpHttpEndpoint}" +
        $"{(ApiKey is null ? "" : ", API key required")}, {(IsRunning ? "running" : "stopped")})";

    private async Task<bool> LaunchAsync(bool returnFalseOnPortConflict, CancellationToken ct)
    {
        _http.Dispose();
        _http = CreateHttpClient();

        var process = new Process { StartInfo = CreateStartInfo(), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AddOutput(e.Data);
        process.ErrorDataReceived += (_, e) => AddOutput(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {_binaryPath}.");
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var elapsed = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    await process.WaitForExitAsync(ct).ConfigureAwait(false); // flushes the output readers
                    var output = RecentOutput;
                    var exitCode = process.ExitCode;
                    await KillAsync().ConfigureAwait(false);
                    if (returnFalseOnPortConflict && output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                    {
                        return false;
                    }

                    throw new InvalidOperationException(
                        $"The Aspire Dashboard ({_binaryPath}) exited with code {exitCode} while starting " +
                        $"(ports UI {_uiPort}, gRPC {_grpcPort}, HTTP {_httpPort}). Its output:\n{output}");
                }

                if (await IsReadyAsync(ct).ConfigureAwait(false))
                {
                    StartupDuration = elapsed.Elapsed;
                    return true;
                }

                if (elapsed.Elapsed >= _options.StartupTimeout)
                {
                    await KillAsync().ConfigureAwait(false);
                    throw new TimeoutException(
                        $"The Aspire Dashboard ({_binaryPath}) was not ready within {_options.StartupTimeout.TotalSeconds:0} s " +
                        $"(API {ApiBaseAddress}, OTLP/gRPC {OtlpGrpcEndpoint}, OTLP/HTTP {OtlpHttpEndpoint}). Its output:\n{RecentOutput}");
                }

                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            await KillAsync().ConfigureAwait(false);
            throw;
        }
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var psi = new ProcessStartInfo(_binaryPath)
        {
            WorkingDirectory = Path.GetDirectoryName(_binaryPath)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };

        // Nothing inherited from the test process may reconfigure the dashboard (or make it export
        // its own telemetry, which it does when OTEL_EXPORTER_OTLP_ENDPOINT is set).
        foreach (var name in psi.Environment.Keys.ToList())
        {
            if (ClearedVariablePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                psi.Environment.Remove(name);
            }
        }

        var env = psi.Environment;

        // The dashboard keeps what it receives in a database under the temporary directory: one of its own, for
        // the metric queries (see GetMetricsAsync).
        Directory.CreateDirectory(_dataDirectory);
        env["TMPDIR"] = _dataDirectory;
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_uiPort}";
        env["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{_grpcPort}";
        env["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{_httpPort}";
        env["Dashboard__Frontend__AuthMode"] = "Unsecured";
        env["Dashboard__Api__Enabled"] = "true";
        env["Dashboard__Api__AuthMode"] = "Unsecured";
        if (_options.ApiKey is { Length: > 0 } key)
        {
            env["Dashboard__Otlp__AuthMode"] = "ApiKey";
            env["Dashboard__Otlp__PrimaryApiKey"] = key;
        }
        else
        {
            env["Dashboard__Otlp__AuthMode"] = "Unsecured";
        }

        foreach (var (name, value) in _options.Settings)
        {
            env[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return psi;
    }

    private async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        probe.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await _http.GetAsync("api/telemetry/resources", probe.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            return await CanConnectAsync(_grpcPort, probe.Token).ConfigureAwait(false)
                && await CanConnectAsync(_httpPort, probe.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }

    private static async Task<bool> CanConnectAsync(int port, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct).ConfigureAwait(false);
        return true;
    }

    private async Task KillAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or not reaped in time; nothing more to do.
        }
        finally
        {
            process.Dispose();
        }
    }

    private void OnHostExit(object? sender, EventArgs e)
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (Exception)
        {
            // The test host is exiting; best effort only.
        }
    }

    private async Task<JsonDocument?> GetJsonAsync(string path, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process is null)
        {
            throw new InvalidOperationException($"The Aspire Dashboard is stopped; call {nameof(StartAgainAsync)} first.");
        }

        using var response = await _http.GetAsync(path, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new HttpRequestException(
                $"GET {new Uri(ApiBaseAddress, path)} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body}",
                null,
                response.StatusCode);
        }

        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<T>> PollAsync<T>(
        Func<CancellationToken, Task<IReadOnlyList<T>>> fetch,
        Func<IReadOnlyList<T>, bool> until,
        TimeSpan timeout,
        string waitingFor,
        Func<CancellationToken, Task<IReadOnlyList<T>>>? fetchForReport,
        CancellationToken ct)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var received = await fetch(ct).ConfigureAwait(false);
            if (until(received))
            {
                return received;
            }

            if (elapsed.Elapsed >= timeout)
            {
                var everything = fetchForReport is null ? received : await fetchForReport(ct).ConfigureAwait(false);
                throw new TimeoutException(
                    $"Timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s waiting for {waitingFor}. " +
                    $"Received {everything.Count} item(s):\n{Describe(everything)}");
            }

            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    private static string Describe<T>(IReadOnlyList<T> items)
    {
        const int MaxLines = 100;
        if (items.Count == 0)
        {
            return "  (nothing)";
        }

        var text = new StringBuilder();
        foreach (var item in items.Take(MaxLines))
        {
            text.Append("  ").Append(item).Append('\n');
        }

        if (items.Count > MaxLines)
        {
            text.Append(CultureInfo.InvariantCulture, $"  ... and {items.Count - MaxLines} more\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    private void AddOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = ApiBaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
}
