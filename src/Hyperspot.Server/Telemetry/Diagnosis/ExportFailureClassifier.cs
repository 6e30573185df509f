using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Telemetry.Diagnosis;

/// <summary>
/// Tells from one observed export what most likely went wrong and what to do about it, in words shared by
/// <c>check --exporter</c> and the running server's export warning. It reads the answer first (a status code means
/// the backend was reached), then the network error, and uses a <see cref="PortFinding"/> when the export's own
/// answer left the protocol in doubt.
/// </summary>
public static class ExportFailureClassifier
{
    private const int Http11Required = 0xd;

    /// <param name="items">What was sent, plural: <c>spans</c>, <c>log records</c>.</param>
    /// <param name="sent">How many were sent, for a partial success.</param>
    public static ExportDiagnosis Classify(
        ExportExchange exchange,
        ExporterSettings settings,
        SecretRedactor redactor,
        string items = "spans",
        int? sent = null,
        PortFinding finding = PortFinding.Unknown)
    {
        if (exchange.Accepted)
        {
            return Accepted(exchange, redactor, items, sent);
        }

        if (exchange.TimedOut)
        {
            return TimedOut(settings, exchange.Elapsed);
        }

        return exchange.Error is { } error
            ? FromError(error, exchange.Url, exchange.Grpc, redactor, finding)
            : FromAnswer(exchange, settings, redactor, finding);
    }

    /// <summary>A failure to resolve or connect, outside any export (the DNS and TCP steps of the check).</summary>
    public static ExportDiagnosis FromError(Exception error, Uri url, bool grpc, SecretRedactor redactor, PortFinding finding = PortFinding.Unknown)
    {
        var detail = redactor.Shown(ExceptionChain.Messages(error));
        var target = $"{url.IdnHost}:{url.Port.ToString(CultureInfo.InvariantCulture)}";
        if (ExceptionChain.Find<SocketException>(error) is { } socket)
        {
            switch (socket.SocketErrorCode)
            {
                case SocketError.ConnectionRefused:
                    return new(ExportProblem.NothingListening, $"nothing is listening on {target} (connection refused): is the backend running, and is this its OTLP port?", detail);
                case SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain:
                    return new(ExportProblem.HostNotFound, $"the host name {url.IdnHost} does not resolve: check tracing.exporter.endpoint (inside a container, use the backend's service name)", detail);
                case SocketError.TimedOut:
                    return new(ExportProblem.TimedOut, $"{target} did not accept a connection in time: a firewall may drop the traffic", detail);
                case SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.AddressNotAvailable:
                    return new(ExportProblem.Unreachable, $"{target} cannot be reached ({socket.SocketErrorCode}): check the address, the network and any firewall", detail);
            }
        }

        if (ExceptionChain.Find<OperationCanceledException>(error) is not null || ExceptionChain.Find<TimeoutException>(error) is not null)
        {
            return new(ExportProblem.TimedOut, $"{target} did not answer in time: a firewall may drop the traffic", detail);
        }

        if (ExceptionChain.Find<AuthenticationException>(error) is { } tls)
        {
            return finding == PortFinding.SpeaksPlainHttp || (!tls.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase) && tls.Message.Contains("frame", StringComparison.OrdinalIgnoreCase))
                ? new(ExportProblem.NotTls, "TLS versus plain text: the endpoint is https:// but the port answers in plain text: use http:// in tracing.exporter.endpoint", detail)
                : tls.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase)
                    ? new(ExportProblem.UntrustedCertificate, "the backend's TLS certificate is not accepted: trust the authority that issued it, or use the host name it was issued for", detail)
                    : new(ExportProblem.TlsFailed, "the TLS handshake failed: check that the port speaks TLS and accepts this client", detail);
        }

        if (ExceptionChain.Find<HttpProtocolException>(error) is { ErrorCode: Http11Required } || finding == PortFinding.AcceptsOtlpHttp)
        {
            return new(ExportProblem.HttpPortForGrpc, HttpPortForGrpc, detail);
        }

        if (finding == PortFinding.AcceptsOtlpGrpc)
        {
            return new(ExportProblem.GrpcPortForHttp, GrpcPortForHttp, detail);
        }

        if (finding == PortFinding.SpeaksTls)
        {
            return new(ExportProblem.ExpectsTls, "TLS versus plain text: the port speaks TLS but the endpoint is http://: use https:// in tracing.exporter.endpoint", detail);
        }

        if (ExceptionChain.Find<HttpRequestException>(error) is { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse })
        {
            var other = grpc ? "OTLP/HTTP (kind otlp_http)" : "gRPC (kind otlp_grpc)";
            return new(
                ExportProblem.ConnectionClosed,
                $"the port closed the connection without {(grpc ? "a gRPC" : "an HTTP/1.1")} answer: it may expect TLS (https://), or speak {other}",
                detail);
        }

        return new(ExportProblem.Failed, "the export failed", detail);
    }

    /// <summary>The exporter failed without sending anything this handler saw (it reports only through its EventSource).</summary>
    public static ExportDiagnosis WithoutExchange(string? exporterMessage, SecretRedactor redactor) =>
        new(ExportProblem.Failed, "the exporter failed before the backend answered", exporterMessage is null ? null : redactor.Shown(exporterMessage));

    /// <summary>The answer for the wrong-port mix-up, gRPC sent to an OTLP/HTTP port.</summary>
    public const string HttpPortForGrpc =
        "wrong port for the protocol: the port speaks OTLP/HTTP (HTTP/1.1), not gRPC: use kind otlp_http, or the backend's OTLP/gRPC port (usually 4317)";

    /// <summary>The answer for the wrong-port mix-up, OTLP/HTTP sent to a gRPC-only port.</summary>
    public const string GrpcPortForHttp =
        "wrong port for the protocol: the port speaks gRPC (HTTP/2 only), not OTLP/HTTP: use kind otlp_grpc, or the backend's OTLP/HTTP port (usually 4318)";

    private static ExportDiagnosis Accepted(ExportExchange exchange, SecretRedactor redactor, string items, int? sent)
    {
        var observed = Observed(exchange, redactor);
        if (exchange.RejectedItems > 0)
        {
            var of = sent is { } count ? $" of {count.ToString(CultureInfo.InvariantCulture)}" : "";
            var why = exchange.RejectionMessage is { } message ? ": " + redactor.Shown(message) : "";
            return new(
                ExportProblem.PartlyRejected,
                $"partial success: the backend rejected {exchange.RejectedItems.ToString(CultureInfo.InvariantCulture)}{of} {items}{why}",
                observed);
        }

        return exchange.RejectionMessage is { } warning
            ? new(ExportProblem.PartlyRejected, $"partial success: the backend accepted the {items} with a warning: {redactor.Shown(warning)}", observed)
            : new(ExportProblem.None, "accepted", observed);
    }

    private static ExportDiagnosis TimedOut(ExporterSettings settings, TimeSpan elapsed) => new(
        ExportProblem.TimedOut,
        $"no answer within {settings.TimeoutMs.ToString(CultureInfo.InvariantCulture)} ms (tracing.exporter.timeout_ms): the backend is overloaded, or a firewall drops the traffic",
        $"gave up after {elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms");

    private static ExportDiagnosis FromAnswer(ExportExchange x, ExporterSettings settings, SecretRedactor redactor, PortFinding finding)
    {
        var detail = Observed(x, redactor);
        var status = x.HttpStatus ?? 0;
        var grpcStatus = x.Grpc ? x.GrpcStatus : null;
        var path = x.Url.AbsolutePath;
        if (status is >= 300 and < 400)
        {
            var location = x.Location is { } l && Uri.TryCreate(x.Url, l, out var target) ? SecretRedactor.RedactUri(target) : "another URL";
            return new(ExportProblem.Redirect, $"the endpoint redirects to {redactor.Shown(location)}: configure that URL instead (redirects are not followed)", detail);
        }

        if (status == 401 || grpcStatus == 16)
        {
            return new(ExportProblem.Credentials, settings.Headers.Count == 0
                ? "the backend refused the export: no credentials were sent: add the API key / DSN to tracing.exporter.headers"
                : "the backend refused the export: the credentials were not accepted: check the API key / DSN in tracing.exporter.headers", detail);
        }

        if (status == 403 || grpcStatus == 7)
        {
            var hint = !x.Grpc && !path.StartsWith("/v1/", StringComparison.Ordinal) ? $"; or the path {path}: OTLP/HTTP receivers listen on /v1/traces" : "";
            return new(ExportProblem.Forbidden, $"the backend refused the export: access denied: check the API key / DSN in tracing.exporter.headers{hint}", detail);
        }

        if (!x.Grpc && x.IsWebPage && status is >= 200 and < 300)
        {
            return new(ExportProblem.NotOtlp, "the endpoint answered with a web page, not as an OTLP receiver: is this the backend's UI port rather than its OTLP port?", detail);
        }

        if (x.Grpc && !x.IsGrpcContent && x.GrpcStatus is null && status is not (429 or 502 or 503 or 504))
        {
            return new(ExportProblem.HttpPortForGrpc, HttpPortForGrpc, detail);
        }

        if (!x.Grpc && (finding == PortFinding.AcceptsOtlpGrpc || x.IsGrpcContent
            || (status == 400 && x.Body?.Contains("HTTP/2", StringComparison.OrdinalIgnoreCase) == true)))
        {
            return new(ExportProblem.GrpcPortForHttp, GrpcPortForHttp, detail);
        }

        if (status == 404 || grpcStatus == 12)
        {
            return x.Grpc
                ? new(ExportProblem.NotFound, $"the server has no OTLP service at {path}: is this an OTLP/gRPC port, and should the endpoint have no path?", detail)
                : new(ExportProblem.NotFound, $"no OTLP receiver at {path}: does the endpoint need /v1/traces?", detail);
        }

        if (status == 413 || (grpcStatus == 8 && x.GrpcMessage?.Contains("size", StringComparison.OrdinalIgnoreCase) == true))
        {
            return new(ExportProblem.TooLarge, "the batch is too large for the backend: lower tracing.batch.max_export_batch_size", detail);
        }

        if (status == 429 || grpcStatus == 8)
        {
            return new(ExportProblem.Throttled, "the backend is throttling: it asks for fewer exports; sample less or raise its limits", detail);
        }

        if (status is 502 or 503 or 504 || grpcStatus == 14)
        {
            return new(ExportProblem.Unavailable, "the backend is unavailable: it is starting, overloaded, or a proxy in front of it cannot reach it", detail);
        }

        if (grpcStatus == 4)
        {
            return new(ExportProblem.TimedOut, "the backend ran out of time handling the export (DEADLINE_EXCEEDED)", detail);
        }

        var gzip = x.Compressed ? "; some receivers (the local viewer's OTLP/HTTP) do not accept compression: gzip: try compression: none" : "";
        if (status is 400 or 415 || grpcStatus == 3)
        {
            return new(ExportProblem.Rejected, $"the backend rejected the request as invalid{gzip}", detail);
        }

        return status >= 500 || grpcStatus is 2 or 13
            ? new(ExportProblem.BackendFailed, $"the backend failed while handling the export{gzip}", detail)
            : new(ExportProblem.Failed, "the backend did not accept the export", detail);
    }

    /// <summary>What came back, e.g. <c>HTTP 401 Unauthorized</c> or <c>gRPC status UNAVAILABLE: message</c>.</summary>
    private static string Observed(ExportExchange x, SecretRedactor redactor)
    {
        var parts = new List<string>();
        if (x.HttpStatus is { } status && !(x.Grpc && status == 200 && x.GrpcStatus is not null))
        {
            parts.Add($"HTTP {status.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(x.ReasonPhrase) ? "" : " " + x.ReasonPhrase)}");
        }

        if (x.Grpc && x.GrpcStatus is { } code)
        {
            parts.Add($"gRPC status {GrpcStatusNames.Of(code)}{(string.IsNullOrEmpty(x.GrpcMessage) ? "" : ": " + x.GrpcMessage)}");
        }

        if (x.Body is { } body)
        {
            parts.Add(body);
        }

        return redactor.Shown(string.Join(": ", parts));
    }
}
