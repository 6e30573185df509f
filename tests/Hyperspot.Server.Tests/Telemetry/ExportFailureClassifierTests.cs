using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Tests.Telemetry;

/// <summary>The words a user reads for each way an export can fail, from the answer (or its absence) alone.</summary>
public sealed class ExportFailureClassifierTests
{
    private const string ApiKey = "k3y-0123456789";

    private static readonly ExporterSettings Grpc = new() { Endpoint = "http://collector:4317", Headers = new Dictionary<string, string> { ["x-api-key"] = ApiKey } };
    private static readonly ExporterSettings Http = new() { Kind = ExporterKind.OtlpHttp, Endpoint = "http://collector:4318" };

    private static ExportExchange Answer(ExporterSettings settings, int status, int? grpcStatus = null, string? contentType = null, string? body = null, string? grpcMessage = null) => new()
    {
        Url = settings.ExportUri,
        Grpc = settings.Kind == ExporterKind.OtlpGrpc,
        HttpStatus = status,
        ReasonPhrase = ((HttpStatusCode)status).ToString(),
        GrpcStatus = grpcStatus,
        GrpcMessage = grpcMessage,
        ContentType = contentType ?? (settings.Kind == ExporterKind.OtlpGrpc && grpcStatus is not null ? "application/grpc" : null),
        Body = body,
    };

    private static ExportExchange Failure(ExporterSettings settings, Exception error) => new()
    {
        Url = settings.ExportUri,
        Grpc = settings.Kind == ExporterKind.OtlpGrpc,
        Error = error,
    };

    private static ExportDiagnosis Classify(ExportExchange exchange, ExporterSettings settings, PortFinding finding = PortFinding.Unknown) =>
        ExportFailureClassifier.Classify(exchange, settings, new SecretRedactor(settings.Headers.Values, settings.Endpoint), "spans", 10, finding);

    [Fact]
    public void An_accepted_export_says_what_came_back()
    {
        var grpc = Classify(Answer(Grpc, 200, 0), Grpc);
        Assert.Equal((ExportProblem.None, "accepted", "gRPC status OK"), (grpc.Problem, grpc.Cause, grpc.Detail));
        var http = Classify(Answer(Http, 200, contentType: "application/x-protobuf"), Http);
        Assert.Equal((ExportProblem.None, "HTTP 200 OK"), (http.Problem, http.Detail));
    }

    [Fact]
    public void A_partial_success_names_the_rejected_count_and_the_reason()
    {
        var diagnosis = Classify(Answer(Grpc, 200, 0) with { RejectedItems = 3, RejectionMessage = "spans older than 7 days" }, Grpc);
        Assert.Equal(ExportProblem.PartlyRejected, diagnosis.Problem);
        Assert.True(diagnosis.Accepted);
        Assert.Equal("partial success: the backend rejected 3 of 10 spans: spans older than 7 days", diagnosis.Cause);
    }

    [Theory]
    [InlineData(401, null, "credentials were not accepted")]
    [InlineData(200, 16, "credentials were not accepted")]
    [InlineData(403, null, "access denied")]
    [InlineData(200, 7, "access denied")]
    public void A_refused_credential_points_at_the_headers(int status, int? grpcStatus, string words)
    {
        var diagnosis = Classify(Answer(Grpc, status, grpcStatus), Grpc);
        Assert.Contains("the backend refused the export", diagnosis.Cause);
        Assert.Contains(words, diagnosis.Cause);
        Assert.Contains("check the API key / DSN in tracing.exporter.headers", diagnosis.Cause);
    }

    [Fact]
    public void A_refusal_without_any_header_says_none_was_sent()
    {
        var diagnosis = Classify(Answer(Http, 401), Http);
        Assert.Equal(ExportProblem.Credentials, diagnosis.Problem);
        Assert.Contains("no credentials were sent", diagnosis.Cause);
    }

    [Fact]
    public void A_404_over_otlp_http_asks_about_the_path()
    {
        var settings = new ExporterSettings { Kind = ExporterKind.OtlpHttp, Endpoint = "http://collector:4318/otlp" };
        var diagnosis = Classify(Answer(settings, 404, body: "404 page not found", contentType: "text/plain"), settings);
        Assert.Equal(ExportProblem.NotFound, diagnosis.Problem);
        Assert.Equal("no OTLP receiver at /otlp: does the endpoint need /v1/traces?", diagnosis.Cause);
        Assert.Equal("HTTP 404 NotFound: 404 page not found", diagnosis.Detail);
    }

    [Fact]
    public void Grpc_sent_to_an_http_1_1_port_is_named_from_the_http_2_error()
    {
        var error = new HttpRequestException(HttpRequestError.HttpProtocolError, "The HTTP/2 server closed the connection. HTTP/2 error code 'HTTP_1_1_REQUIRED' (0xd).", new HttpProtocolException(0xd, "HTTP_1_1_REQUIRED", null));
        var diagnosis = Classify(Failure(Grpc, error), Grpc);
        Assert.Equal(ExportProblem.HttpPortForGrpc, diagnosis.Problem);
        Assert.StartsWith("wrong port for the protocol", diagnosis.Cause);
        Assert.Contains("use kind otlp_http", diagnosis.Cause);
    }

    [Fact]
    public void Grpc_answered_without_grpc_is_an_http_port()
    {
        var diagnosis = Classify(Answer(Grpc, 404, contentType: "text/plain", body: "404 page not found"), Grpc);
        Assert.Equal(ExportProblem.HttpPortForGrpc, diagnosis.Problem);
    }

    [Fact]
    public void Otlp_http_sent_to_an_http_2_only_port_is_named_from_the_answer()
    {
        var diagnosis = Classify(Answer(Http, 400, contentType: "text/plain", body: "An HTTP/1.x request was sent to an HTTP/2 only endpoint."), Http);
        Assert.Equal(ExportProblem.GrpcPortForHttp, diagnosis.Problem);
        Assert.Contains("use kind otlp_grpc", diagnosis.Cause);
    }

    [Fact]
    public void A_closed_connection_is_named_by_what_a_second_look_found()
    {
        var closed = Failure(Http, new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        Assert.Equal(ExportProblem.ConnectionClosed, Classify(closed, Http).Problem);
        Assert.Equal(ExportProblem.GrpcPortForHttp, Classify(closed, Http, PortFinding.AcceptsOtlpGrpc).Problem);
        Assert.Equal(ExportProblem.ExpectsTls, Classify(closed, Http, PortFinding.SpeaksTls).Problem);
    }

    [Fact]
    public void Tls_against_a_plain_text_port_and_an_untrusted_certificate_are_told_apart()
    {
        var settings = new ExporterSettings { Endpoint = "https://collector:4317" };
        var plain = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.", new AuthenticationException("Cannot determine the frame size or a corrupted frame was received."));
        var untrusted = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.", new AuthenticationException("The remote certificate is invalid according to the validation procedure: RemoteCertificateChainErrors"));
        Assert.Equal(ExportProblem.NotTls, Classify(Failure(settings, plain), settings).Problem);
        Assert.Contains("use http://", Classify(Failure(settings, plain), settings).Cause);
        Assert.Equal(ExportProblem.UntrustedCertificate, Classify(Failure(settings, untrusted), settings).Problem);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, ExportProblem.NothingListening, "nothing is listening on collector:4317 (connection refused)")]
    [InlineData(SocketError.HostNotFound, ExportProblem.HostNotFound, "the host name collector does not resolve")]
    [InlineData(SocketError.NetworkUnreachable, ExportProblem.Unreachable, "collector:4317 cannot be reached")]
    public void Network_failures_say_what_could_not_be_reached(SocketError error, ExportProblem problem, string words)
    {
        var diagnosis = Classify(Failure(Grpc, new HttpRequestException("Connection failed", new SocketException((int)error))), Grpc);
        Assert.Equal(problem, diagnosis.Problem);
        Assert.StartsWith(words, diagnosis.Cause);
    }

    [Fact]
    public void A_timeout_names_the_setting()
    {
        var diagnosis = Classify(new ExportExchange { Url = Grpc.ExportUri, Grpc = true, TimedOut = true, Elapsed = TimeSpan.FromMilliseconds(5003) }, Grpc);
        Assert.Equal(ExportProblem.TimedOut, diagnosis.Problem);
        Assert.Equal("no answer within 5000 ms (tracing.exporter.timeout_ms): the backend is overloaded, or a firewall drops the traffic", diagnosis.Cause);
    }

    [Theory]
    [InlineData(503, null, ExportProblem.Unavailable)]
    [InlineData(200, 14, ExportProblem.Unavailable)]
    [InlineData(429, null, ExportProblem.Throttled)]
    [InlineData(413, null, ExportProblem.TooLarge)]
    [InlineData(400, null, ExportProblem.Rejected)]
    [InlineData(200, 3, ExportProblem.Rejected)]
    [InlineData(500, null, ExportProblem.BackendFailed)]
    [InlineData(200, 12, ExportProblem.NotFound)]
    [InlineData(301, null, ExportProblem.Redirect)]
    public void Other_answers_have_their_own_cause(int status, int? grpcStatus, ExportProblem problem)
    {
        var settings = grpcStatus is null ? Http : Grpc;
        Assert.Equal(problem, Classify(Answer(settings, status, grpcStatus), settings).Problem);
    }

    [Fact]
    public void A_web_page_answered_with_200_is_not_taken_for_an_accepted_export()
    {
        var diagnosis = Classify(Answer(Http, 200, contentType: "text/html"), Http);
        Assert.False(diagnosis.Accepted);
        Assert.Equal(ExportProblem.NotOtlp, diagnosis.Problem);
        Assert.Contains("UI port rather than its OTLP port", diagnosis.Cause);
    }

    [Fact]
    public void A_redirect_is_not_followed_and_its_target_is_shown_without_secrets()
    {
        var diagnosis = Classify(Answer(Http, 307) with { Location = "https://user:pass-0123456789@elsewhere.example/v1/traces?token=t0k3n-abcdef" }, Http);
        Assert.Equal(ExportProblem.Redirect, diagnosis.Problem);
        Assert.Contains("elsewhere.example", diagnosis.Cause);
        Assert.DoesNotContain("pass-0123456789", diagnosis.Cause);
        Assert.DoesNotContain("t0k3n-abcdef", diagnosis.Cause);
    }

    [Fact]
    public void A_secret_quoted_back_and_control_characters_in_the_answer_are_neutralised()
    {
        var diagnosis = Classify(Answer(Grpc, 200, 16, grpcMessage: $"invalid key \"{ApiKey}\"\r\nWRN forged line\u001b[31m\u2028x"), Grpc);
        var shown = diagnosis.ToString();
        Assert.DoesNotContain(ApiKey, shown);
        Assert.Contains(SecretRedactor.Mask, shown);
        Assert.DoesNotContain('\n', shown);
        Assert.DoesNotContain('\u001b', shown);
        Assert.DoesNotContain('\u2028', shown);

        // The notation of text log lines and stderr messages.
        Assert.Contains("\\r\\nWRN forged line\\x1b[31m\\u2028x", shown);
    }
}
