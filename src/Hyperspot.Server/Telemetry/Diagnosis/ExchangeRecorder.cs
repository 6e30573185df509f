using System.Diagnostics;
using System.Net.Http.Headers;

namespace Hyperspot.Server.Telemetry.Diagnosis;

/// <summary>
/// The handler inside an OTLP exporter's HttpClient that watches each export request: what the backend answered
/// (status, gRPC status and message, a failure's text, a partial success) or why there was no answer. The
/// exporter's own result says only success or failure; this says which failure. The answer is read into memory
/// here, at most <see cref="MaxAnswerBytes"/>, and handed on unchanged. Each exchange goes to an
/// <see cref="ExportObserver"/>, which outlives the clients the exporter creates.
/// </summary>
public sealed class ExchangeRecorder(HttpMessageHandler inner, ExportObserver observer) : DelegatingHandler(inner)
{
    /// <summary>The most of an answer read: the exporter's own response limit.</summary>
    public const int MaxAnswerBytes = 4 * 1024 * 1024;

    /// <summary>The most of a failure's body kept as its text.</summary>
    private const int MaxBodyText = 300;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendRecordedAsync(request, synchronous: false, cancellationToken).AsTask();

    /// <summary>OTLP/HTTP sends synchronously: the answer is read the same way and replaced by its buffered copy.</summary>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = SendRecordedAsync(request, synchronous: true, cancellationToken);
        Debug.Assert(sent.IsCompleted, "the synchronous path never awaits");
        return sent.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Sends, reads the answer into memory and records the exchange, or records the failure and rethrows it. With
    /// <paramref name="synchronous"/> nothing is awaited, so the task has completed when this returns.
    /// </summary>
    private async ValueTask<HttpResponseMessage> SendRecordedAsync(HttpRequestMessage request, bool synchronous, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        HttpResponseMessage? response = null;
        try
        {
            byte[] body;
            if (synchronous)
            {
                response = base.Send(request, cancellationToken);
                body = ReadBounded(response.Content.ReadAsStream(cancellationToken), response);
                var buffered = new ByteArrayContent(body);
                foreach (var header in response.Content.Headers)
                {
                    buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                response.Content.Dispose();
                response.Content = buffered;
            }
            else
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, cancellationToken).ConfigureAwait(false);
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }

            Record(Answered(request, response, body, started.Elapsed));
            return response;
        }
        catch (Exception ex)
        {
            Record(Failed(request, response, ex, started.Elapsed));
            response?.Dispose();
            throw;
        }
    }

    private void Record(ExportExchange exchange) => observer.Record(exchange);

    private static byte[] ReadBounded(Stream stream, HttpResponseMessage response)
    {
        using (stream)
        {
            using var copy = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (copy.Length + read > MaxAnswerBytes)
                {
                    throw new HttpRequestException(
                        $"The backend's answer (HTTP {(int)response.StatusCode}) is larger than {MaxAnswerBytes / 1024 / 1024} MiB; it was not read.");
                }

                copy.Write(buffer, 0, read);
            }

            return copy.ToArray();
        }
    }

    private static ExportExchange Answered(HttpRequestMessage request, HttpResponseMessage response, byte[] body, TimeSpan elapsed)
    {
        var grpc = IsGrpc(request);
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var status = (int)response.StatusCode;
        var exchange = Base(request, elapsed) with
        {
            HttpStatus = status,
            ReasonPhrase = response.ReasonPhrase,
            ContentType = contentType,
            Location = status is >= 300 and < 400 ? response.Headers.Location?.ToString() : null,
        };

        if (grpc)
        {
            var grpcStatus = Header(response.TrailingHeaders, "grpc-status") ?? Header(response.Headers, "grpc-status");
            var grpcMessage = Header(response.TrailingHeaders, "grpc-message") ?? Header(response.Headers, "grpc-message");
            exchange = exchange with
            {
                GrpcStatus = int.TryParse(grpcStatus, out var code) ? code : null,
                GrpcMessage = grpcMessage is null ? null : OtlpAnswerReader.Text(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(grpcMessage))),
            };
            if (exchange.Accepted)
            {
                var (rejected, why) = OtlpAnswerReader.ReadPartialSuccess(OtlpAnswerReader.GrpcMessage(body, Header(response.Headers, "grpc-encoding")));
                return exchange with { RejectedItems = rejected, RejectionMessage = why };
            }

            return exchange with { Body = exchange.IsGrpcContent ? null : TextOf(body, contentType) };
        }

        if (exchange.Accepted)
        {
            var (rejected, why) = IsProtobuf(contentType) ? OtlpAnswerReader.ReadPartialSuccess(body) : (0, null);
            return exchange with { RejectedItems = rejected, RejectionMessage = why };
        }

        return exchange with
        {
            Body = IsProtobuf(contentType) ? OtlpAnswerReader.ReadStatusMessage(body) : TextOf(body, contentType),
        };
    }

    private static ExportExchange Failed(HttpRequestMessage request, HttpResponseMessage? response, Exception error, TimeSpan elapsed) =>
        Base(request, elapsed) with
        {
            HttpStatus = response is null ? null : (int)response.StatusCode,
            ReasonPhrase = response?.ReasonPhrase,
            Error = error is OperationCanceledException ? null : error,
            TimedOut = IsTimeout(error),
        };

    /// <summary>Given up waiting: cancelled (the exporter's timeout cancels the request) or a connect timeout.</summary>
    private static bool IsTimeout(Exception error) =>
        ExceptionChain.Find<OperationCanceledException>(error) is not null || ExceptionChain.Find<TimeoutException>(error) is not null;

    private static ExportExchange Base(HttpRequestMessage request, TimeSpan elapsed) => new()
    {
        Url = request.RequestUri!,
        Grpc = IsGrpc(request),
        Compressed = request.Content?.Headers.ContentEncoding.Contains("gzip") == true || request.Headers.Contains("grpc-encoding"),
        Elapsed = elapsed,
    };

    private static bool IsGrpc(HttpRequestMessage request) =>
        request.Content?.Headers.ContentType?.MediaType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsProtobuf(string? contentType) =>
        contentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// A body shown as text only when it says it is plain text or JSON (or says nothing) and decodes as such; an
    /// HTML error page says nothing a status code does not.
    /// </summary>
    private static string? TextOf(byte[] body, string? contentType)
    {
        if (body.Length == 0 || (contentType is not null && !contentType.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
            && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var text = OtlpAnswerReader.Text(body.AsSpan(0, Math.Min(body.Length, MaxBodyText)));
        return text.Length == 0 || text.StartsWith('<') ? null : text;
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
