using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary><c>tracing.exporter.headers</c> are sent with every export: a backend that requires an API key gets spans only with it.</summary>
public sealed class BackendAuthenticationTests : IAsyncLifetime
{
    private const string Key = "k3y-for-the-backend";
    private AspireDashboard _backend = null!;

    public async Task InitializeAsync() => _backend = await AspireDashboard.StartAsync(new AspireDashboardOptions { ApiKey = Key });

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Theory]
    [InlineData("otlp_grpc")]
    [InlineData("otlp_http")]
    public async Task Spans_arrive_only_with_the_configured_api_key(string kind)
    {
        var endpoint = kind == "otlp_grpc" ? _backend.OtlpGrpcEndpoint.ToString() : _backend.OtlpHttpEndpoint.ToString();
        await using var withKey = await TestServer.StartAsync(Configs.Tracing(endpoint, kind,
            exporterExtra: $"headers:\n  x-otlp-api-key: \"{Key}\""));
        await using var withoutKey = await TestServer.StartAsync(Configs.Tracing(endpoint, kind));
        await using var wrongKey = await TestServer.StartAsync(Configs.Tracing(endpoint, kind,
            exporterExtra: "headers:\n  x-otlp-api-key: \"wrong-key-value\""));

        foreach (var server in new[] { withKey, withoutKey, wrongKey })
        {
            using var response = await server.Client.GetAsync("/examples/v1/upstream/data");
            Assert.True(response.IsSuccessStatusCode);
            Assert.Equal(0, await server.StopAsync());
        }

        var spans = await _backend.GetSpansAsync();
        Assert.Contains(spans, s => s.ServiceName == withKey.ServiceName);
        Assert.DoesNotContain(spans, s => s.ServiceName == withoutKey.ServiceName);
        Assert.DoesNotContain(spans, s => s.ServiceName == wrongKey.ServiceName);
        foreach (var refused in new[] { withoutKey, wrongKey })
        {
            var output = refused.Process.StandardOutput;
            Assert.Contains("refused the export", output);
            Assert.Contains($"127.0.0.1:{new Uri(endpoint).Port}", output);
            Assert.DoesNotContain("wrong-key-value", output + refused.Process.StandardError + File.ReadAllText(refused.LogFile));
        }
    }
}
