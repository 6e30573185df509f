using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;

namespace Hyperspot.Server.Telemetry.ExporterCheck;

/// <summary>
/// A second look at the endpoint's port when the export failed without a telling answer (the connection closed, the
/// TLS handshake failed): does the port speak TLS, plain HTTP, or the other OTLP protocol? Each look sends nothing
/// but a TLS hello, one HTTP request line, or an empty OTLP export (no spans), to the configured host and port
/// only, with the configured headers, following no redirect.
/// </summary>
public static class PortProbe
{
    private const string GrpcTracePath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    public static async Task<PortFinding> LookAsync(ExporterSettings settings, ExportDiagnosis failure, TimeSpan budget)
    {
        if (failure.Problem is not (ExportProblem.ConnectionClosed or ExportProblem.TlsFailed or ExportProblem.NotTls or ExportProblem.Failed))
        {
            return PortFinding.Unknown;
        }

        using var cancel = new CancellationTokenSource(NetworkReach.Positive(budget));
        var uri = settings.ExportUri;
        try
        {
            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                return await AnswersPlainHttpAsync(uri, cancel.Token).ConfigureAwait(false) ? PortFinding.SpeaksPlainHttp : PortFinding.Unknown;
            }

            if (await CompletesTlsHandshakeAsync(uri, cancel.Token).ConfigureAwait(false))
            {
                return PortFinding.SpeaksTls;
            }

            return settings.Kind == ExporterKind.OtlpGrpc
                ? await AnswersAsync(settings, HttpVersion.Version11, cancel.Token).ConfigureAwait(false) ? PortFinding.AcceptsOtlpHttp : PortFinding.Unknown
                : await AnswersAsync(settings, HttpVersion.Version20, cancel.Token).ConfigureAwait(false) ? PortFinding.AcceptsOtlpGrpc : PortFinding.Unknown;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or HttpRequestException or System.Security.Authentication.AuthenticationException)
        {
            return PortFinding.Unknown;
        }
    }

    /// <summary>True when a TLS handshake with the port completes (whatever its certificate: nothing is sent over it).</summary>
    private static async Task<bool> CompletesTlsHandshakeAsync(Uri uri, CancellationToken cancel)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(uri.IdnHost, uri.Port, cancel).ConfigureAwait(false);
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = uri.IdnHost,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                },
                cancel).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    /// <summary>True when the port answers a plain-text HTTP request line with HTTP (1.x, or an HTTP/2 frame).</summary>
    private static async Task<bool> AnswersPlainHttpAsync(Uri uri, CancellationToken cancel)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(uri.IdnHost, uri.Port, cancel).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {uri.Authority}\r\nConnection: close\r\n\r\n"), cancel).ConfigureAwait(false);
        var answer = new byte[9];
        var read = 0;
        int n;
        while (read < answer.Length && (n = await stream.ReadAsync(answer.AsMemory(read), cancel).ConfigureAwait(false)) > 0)
        {
            read += n;
        }

        return (read >= 5 && Encoding.ASCII.GetString(answer, 0, 5) == "HTTP/") || (read == 9 && answer[3] is 0x4 or 0x7);
    }

    /// <summary>
    /// True when the port answers an empty OTLP export in the other protocol: over HTTP/1.1 to <c>/v1/traces</c>, or
    /// over HTTP/2 (cleartext for http://) to the gRPC trace service. Any answer in that HTTP version counts.
    /// </summary>
    private static async Task<bool> AnswersAsync(ExporterSettings settings, Version version, CancellationToken cancel)
    {
        var uri = settings.ExportUri;
        var grpc = version == HttpVersion.Version20;
        var target = new UriBuilder(uri) { Path = grpc ? GrpcTracePath : ExporterSettings.TracesPath, Query = "" }.Uri;
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(30) };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(grpc ? new byte[5] : []),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(grpc ? "application/grpc" : "application/x-protobuf");
        if (grpc)
        {
            request.Headers.TryAddWithoutValidation("TE", "trailers");
        }

        foreach (var (name, value) in settings.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        return response.Version.Major == version.Major;
    }
}
