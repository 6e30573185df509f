using System.Net;
using System.Net.Http.Headers;
using Hyperspot.Server.Telemetry.Diagnosis;

namespace Hyperspot.Server.Tests.Telemetry;

/// <summary>What the handler inside the exporter's HttpClient records, and that it hands the answer on intact.</summary>
public sealed class ExchangeRecorderTests
{
    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }

    private static HttpRequestMessage Export(bool grpc)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, grpc ? "http://collector:4317/opentelemetry.proto.collector.trace.v1.TraceService/Export" : "http://collector:4318/v1/traces")
        {
            Content = new ByteArrayContent([1, 2, 3]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(grpc ? "application/grpc" : "application/x-protobuf");
        return request;
    }

    [Fact]
    public async Task Records_a_grpc_partial_success_from_the_body_and_the_status_from_the_trailers()
    {
        var observer = new ExportObserver();
        var frame = OtlpAnswerReaderTests.GrpcFrame(OtlpAnswerReaderTests.PartialSuccess(2, "too old"));
        using var client = new HttpClient(new ExchangeRecorder(new Answering(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(frame) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            response.TrailingHeaders.Add("grpc-status", "0");
            return response;
        }), observer));

        using var response = await client.SendAsync(Export(grpc: true));

        var exchange = Assert.IsType<ExportExchange>(observer.Latest);
        Assert.True(exchange.Grpc);
        Assert.True(exchange.Accepted);
        Assert.Equal((2L, "too old"), (exchange.RejectedItems, exchange.RejectionMessage));
        Assert.Equal(frame, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, observer.Count);
    }

    [Fact]
    public async Task Records_a_synchronous_otlp_http_refusal_and_hands_on_the_same_body()
    {
        var observer = new ExportObserver();
        using var client = new HttpClient(new ExchangeRecorder(new Answering(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized)
        {
            Content = new StringContent("invalid api key\r\n"),
        }), observer));

        using var response = client.Send(Export(grpc: false));

        var exchange = Assert.IsType<ExportExchange>(observer.Latest);
        Assert.False(exchange.Grpc);
        Assert.Equal(401, exchange.HttpStatus);
        Assert.Equal("invalid api key", exchange.Body);
        Assert.Equal("invalid api key\r\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void An_answer_over_the_limit_is_not_read_and_fails_the_export()
    {
        var observer = new ExportObserver();
        using var client = new HttpClient(new ExchangeRecorder(new Answering(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new MemoryStream(new byte[ExchangeRecorder.MaxAnswerBytes + 1])),
        }), observer));

        var error = Assert.Throws<HttpRequestException>(() => client.Send(Export(grpc: false)));
        Assert.Contains("larger than 4 MiB", error.Message);
        Assert.Same(error, observer.Latest?.Error);
    }

    [Fact]
    public async Task Records_a_connection_failure_and_lets_it_through()
    {
        var observer = new ExportObserver();
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (collector:4317)");
        using var client = new HttpClient(new ExchangeRecorder(new Answering(_ => throw refused), observer));

        Assert.Same(refused, await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(Export(grpc: true))));
        Assert.Same(refused, observer.Latest?.Error);
        Assert.False(observer.Latest!.TimedOut);
    }
}
