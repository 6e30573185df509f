using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using OpenTelemetry.Exporter;

namespace Hyperspot.TestBackend.Tests;

public sealed class ApiKeyTests(ApiKeyDashboardFixture fixture) : IClassFixture<ApiKeyDashboardFixture>
{
    private AspireDashboard Dashboard => fixture.Dashboard;

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Exporter_is_accepted_only_with_the_api_key_header(OtlpExportProtocol protocol)
    {
        Assert.Equal("x-otlp-api-key=" + ApiKeyDashboardFixture.Key, Dashboard.OtlpHeaders);

        using var without = Telemetry.Create(Dashboard, protocol, withApiKeyHeader: false);
        using var with = Telemetry.Create(Dashboard, protocol, withApiKeyHeader: true);

        // Spans are exported synchronously when they end, so the rejected export is over before the accepted one starts.
        using (without.Source.StartActivity("rejected"))
        {
        }

        string traceId;
        using (var accepted = with.Source.StartActivity("accepted")!)
        {
            traceId = accepted.TraceId.ToHexString();
        }

        var spans = await Dashboard.WaitForTraceAsync(traceId, 1, TimeSpan.FromSeconds(10));
        Assert.Equal("accepted", Assert.Single(spans).Name);
        Assert.DoesNotContain(await Dashboard.GetSpansAsync(), s => s.ServiceName == without.ServiceName);
    }

    [Fact]
    public async Task Otlp_http_answers_401_without_the_key()
    {
        using var http = new HttpClient();

        static HttpContent EmptyRequest()
        {
            var content = new ByteArrayContent([]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            return content;
        }

        using var noKey = await http.PostAsync(Dashboard.OtlpHttpTracesEndpoint, EmptyRequest());
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);

        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, Dashboard.OtlpHttpTracesEndpoint) { Content = EmptyRequest() };
        wrongKey.Headers.Add(AspireDashboard.ApiKeyHeaderName, "wrong");
        using var wrongKeyResponse = await http.SendAsync(wrongKey);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKeyResponse.StatusCode);

        using var withKey = new HttpRequestMessage(HttpMethod.Post, Dashboard.OtlpHttpTracesEndpoint) { Content = EmptyRequest() };
        withKey.Headers.Add(AspireDashboard.ApiKeyHeaderName, ApiKeyDashboardFixture.Key);
        using var withKeyResponse = await http.SendAsync(withKey);
        Assert.Equal(HttpStatusCode.OK, withKeyResponse.StatusCode);

        // The query API stays open in API-key mode.
        using var api = await http.GetAsync(new Uri(Dashboard.ApiBaseAddress, "api/telemetry/resources"));
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }
}
