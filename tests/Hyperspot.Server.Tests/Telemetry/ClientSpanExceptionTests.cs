using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hyperspot.Server.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Hyperspot.Server.Tests.Telemetry;

/// <summary>The server's client-span set-up: a call that cannot connect carries its exception once.</summary>
[Collection(ClientSpanCollection.Name)]
public sealed class ClientSpanExceptionTests
{
    [Fact]
    public async Task A_failed_connection_has_exactly_one_exception_event()
    {
        var spans = new List<Activity>();
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddHttpClientInstrumentation(TracingRegistration.DescribeClientSpans)
            .AddInMemoryExporter(spans)
            .Build())
        {
            using var client = new HttpClient();
            var port = ClosedPort();
            var url = $"http://127.0.0.1:{port}/gone?token=abc";
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url));
            provider.ForceFlush();
            spans.RemoveAll(s => s.GetTagItem("server.port") is not int p || p != port);
        }

        var span = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal(typeof(HttpRequestException).FullName, exception.Tags.Single(t => t.Key == "exception.type").Value);
        Assert.DoesNotContain("token", span.GetTagItem("url.full")?.ToString());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClientSpanCollection
{
    public const string Name = "client spans of the whole process";
}
