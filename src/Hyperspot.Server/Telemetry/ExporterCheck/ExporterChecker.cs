using System.Diagnostics;
using System.Globalization;
using System.Net;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;
using OpenTelemetry;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Telemetry.ExporterCheck;

/// <summary>
/// <c>check --exporter</c>: proves that the configured backend accepts this server's spans, or says why not. It
/// states the tracing switch and the sampler, resolves the endpoint's host, opens a TCP connection, then sends one
/// test span (and one log record when log records go over OTLP) through the exporter the server would build, and
/// reports what the backend answered, in the words the running server's export warning uses. It takes at most the
/// exporter's timeout plus <see cref="Slack"/>.
/// </summary>
public static class ExporterChecker
{
    /// <summary>What the check may take beyond <c>tracing.exporter.timeout_ms</c> (resolving, connecting, a second look).</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(750);

    /// <returns>0 when every step held, 1 otherwise.</returns>
    public static async Task<int> RunAsync(HyperspotSettings settings, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        _ = ExporterDiagnostics.Instance; // listening before the exporters exist: their EventSource reports what the answer cannot
        var tracing = settings.Tracing;
        var exporter = tracing.Exporter;
        var report = new CheckReport(output);
        var budget = TimeSpan.FromMilliseconds(exporter.TimeoutMs);
        TimeSpan Left() => budget + Slack - clock.Elapsed;
        TimeSpan StepBudget() => Left() < budget ? Left() : budget;

        if (!tracing.Enabled)
        {
            report.Fail("tracing", "disabled (tracing.enabled is false, or OTEL_SDK_DISABLED=true): no span would be sent; turn it on to test the exporter, e.g. --tracing:enabled=true");
            return 1;
        }

        report.Ok("tracing", $"enabled: spans go out as service {tracing.ServiceName}");
        var (samples, sampler) = SamplerWording.Describe(tracing.Sampler);
        if (samples)
        {
            report.Ok("sampler", sampler);
        }
        else
        {
            report.Fail("sampler", sampler);
        }

        var redactor = new SecretRedactor(exporter.Headers.Values, exporter.Endpoint);
        var uri = exporter.ExportUri;
        report.Ok("exporter", redactor.Shown(Describe(exporter, uri), 1000));
        if (HttpClient.DefaultProxy.GetProxy(uri) is { } proxy && proxy != uri)
        {
            report.Ok("proxy", redactor.Shown($"requests go through {SecretRedactor.RedactUri(proxy)} (from the proxy variables of the environment); the DNS and TCP steps below reach the endpoint directly", 1000));
        }

        var probes = new List<SignalProbe> { new SpanProbe() };
        if (settings.Logging.OtlpEnabled)
        {
            probes.Add(new LogRecordProbe());
        }

        if (!await ReachAsync(report, uri, exporter.Kind == ExporterKind.OtlpGrpc, redactor, StepBudget).ConfigureAwait(false))
        {
            foreach (var probe in probes)
            {
                report.Skip(probe.Step, "not sent: the endpoint cannot be reached");
            }

            return 1;
        }

        var spans = (SpanProbe)probes[0];
        var sent = true;
        foreach (var probe in probes)
        {
            if (!sent)
            {
                report.Skip(probe.Step, "not sent: the span export failed");
                continue;
            }

            var result = await probe.SendAsync(tracing, spans.Started, Left).ConfigureAwait(false);
            sent = await ReportAsync(report, probe, result, exporter, redactor, Left).ConfigureAwait(false);
        }

        if (sent)
        {
            report.Ok("trace id", $"{spans.Started.TraceId.ToHexString()}: search for it in the backend's UI (service {tracing.ServiceName}, span \"{SpanProbe.SpanName}\")");
        }

        return report.Failed ? 1 : 0;
    }

    private static string Describe(ExporterSettings exporter, Uri uri)
    {
        var kind = ConfigNames.NameOf(exporter.Kind);
        var compression = exporter.Compression == ExportCompression.Gzip ? "gzip" : "none";
        var headers = exporter.Headers.Count == 0
            ? "no headers"
            : "headers " + string.Join(", ", exporter.Headers.Keys.Order(StringComparer.Ordinal).Select(h => $"{h}: {SecretRedactor.Mask}"));
        return $"{kind} to {SecretRedactor.RedactUri(uri)} (timeout {exporter.TimeoutMs.ToString(CultureInfo.InvariantCulture)} ms, compression {compression}, {headers})";
    }

    /// <summary>The DNS and TCP lines; false when the endpoint cannot be reached.</summary>
    private static async Task<bool> ReachAsync(CheckReport report, Uri uri, bool grpc, SecretRedactor redactor, Func<TimeSpan> budget)
    {
        var (addresses, dnsError, dnsTime) = await NetworkReach.ResolveAsync(uri.IdnHost, budget()).ConfigureAwait(false);
        if (addresses is null)
        {
            report.Fail("dns", ExportFailureClassifier.FromError(dnsError!, uri, grpc, redactor).ToString());
            report.Skip("tcp", "not tried: the host name does not resolve");
            return false;
        }

        var shown = string.Join(", ", addresses.Take(4).Select(a => a.ToString()));
        report.Ok("dns", IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out _)
            ? $"{uri.IdnHost} is an IP address: nothing to resolve"
            : $"{uri.IdnHost} resolves to {shown}{(addresses.Length > 4 ? ", …" : "")} ({Ms(dnsTime)})");

        var (connected, tcpError, tcpTime) = await NetworkReach.ConnectAsync(addresses, uri.Port, budget()).ConfigureAwait(false);
        if (connected is null)
        {
            report.Fail("tcp", ExportFailureClassifier.FromError(tcpError!, uri, grpc, redactor).ToString());
            return false;
        }

        report.Ok("tcp", $"connected to {connected} ({Ms(tcpTime)})");
        return true;
    }

    /// <summary>The line of one signal; true when the backend accepted the item.</summary>
    private static async Task<bool> ReportAsync(CheckReport report, SignalProbe probe, SignalResult result, ExporterSettings exporter, SecretRedactor redactor, Func<TimeSpan> left)
    {
        if (!result.Finished)
        {
            report.Fail(probe.Step, $"no answer within {exporter.TimeoutMs.ToString(CultureInfo.InvariantCulture)} ms (tracing.exporter.timeout_ms): the backend is overloaded, or a firewall drops the traffic");
            return false;
        }

        if (result.Exchange is not { } exchange)
        {
            report.Fail(probe.Step, ExportFailureClassifier.WithoutExchange(result.Error?.Message ?? ExporterDiagnostics.Instance.LatestFailure, redactor).ToString());
            return false;
        }

        var diagnosis = ExportFailureClassifier.Classify(exchange, exporter, redactor, probe.Items, 1);
        if (!diagnosis.Accepted)
        {
            var finding = await PortProbe.LookAsync(exporter, diagnosis, left()).ConfigureAwait(false);
            if (finding != PortFinding.Unknown)
            {
                diagnosis = ExportFailureClassifier.Classify(exchange, exporter, redactor, probe.Items, 1, finding);
            }

            report.Fail(probe.Step, diagnosis.ToString());
            return false;
        }

        if (result.Result != ExportResult.Success)
        {
            report.Fail(probe.Step, ExportFailureClassifier.WithoutExchange(ExporterDiagnostics.Instance.LatestFailure, redactor).ToString());
            return false;
        }

        var text = $"{diagnosis.Cause} in {Ms(exchange.Elapsed)} ({diagnosis.Detail})";
        if (diagnosis.Problem == ExportProblem.PartlyRejected)
        {
            report.Fail(probe.Step, text);
        }
        else
        {
            report.Ok(probe.Step, text);
        }

        return true;
    }

    private static string Ms(TimeSpan time) => $"{time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
}
