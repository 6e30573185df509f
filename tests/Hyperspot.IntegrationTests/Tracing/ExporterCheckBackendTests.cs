using System.Diagnostics;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>
/// <c>check --exporter</c> against a viewer that wants an API key, and against a viewer that is not running: the
/// refusal and the silence are each said in so many words, and no secret of the configuration is ever printed.
/// </summary>
public sealed class ExporterCheckBackendTests : IAsyncLifetime
{
    private const string Key = "viewer-key-5bd0c7e2";
    private const string WrongKey = "wrong-key-9f3a1c44";
    private const string Password = "p4ss-w0rd-0c1d2e";
    private const string QueryToken = "qt0k3n-77aa88bb";
    private const string Bearer = "b3arer-6d6e6f70";

    private AspireDashboard _viewer = null!;

    public async Task InitializeAsync() => _viewer = await AspireDashboard.StartAsync(new AspireDashboardOptions { ApiKey = Key });

    public async Task DisposeAsync() => await _viewer.DisposeAsync();

    private string Endpoint(string kind) => (kind == "otlp_grpc" ? _viewer.OtlpGrpcEndpoint : _viewer.OtlpHttpEndpoint).ToString();

    [Theory]
    [InlineData("otlp_grpc")]
    [InlineData("otlp_http")]
    public async Task A_wrong_api_key_is_reported_as_refused_and_the_right_one_gets_through(string kind)
    {
        var wrong = await ExporterCheckRun.QuickstartAsync(
            $"--tracing:exporter:kind={kind}", $"--tracing:exporter:endpoint={Endpoint(kind)}", $"--tracing:exporter:headers:x-otlp-api-key={WrongKey}");
        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        Assert.Contains("the backend refused the export: the credentials were not accepted: check the API key / DSN in tracing.exporter.headers (HTTP 401", wrong.Line("spans"));
        Assert.Contains("headers x-otlp-api-key: ***REDACTED***", wrong.Line("exporter"));
        Assert.DoesNotContain(WrongKey, wrong.Output + wrong.Errors);

        var missing = await ExporterCheckRun.QuickstartAsync($"--tracing:exporter:kind={kind}", $"--tracing:exporter:endpoint={Endpoint(kind)}");
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("no credentials were sent", missing.Line("spans"));

        var right = await ExporterCheckRun.QuickstartAsync(
            $"--tracing:exporter:kind={kind}", $"--tracing:exporter:endpoint={Endpoint(kind)}", $"--tracing:exporter:headers:x-otlp-api-key={Key}");
        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.NotEmpty(await _viewer.WaitForTraceAsync(right.TraceId, 1, TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(Key, right.Output + right.Errors);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Secrets_in_the_endpoint_and_the_headers_are_never_printed(bool viewerListening)
    {
        var port = viewerListening ? _viewer.OtlpHttpEndpoint.Port : FreePorts.Pick();
        var run = await ExporterCheckRun.QuickstartAsync(
            "--tracing:exporter:kind=otlp_http",
            $"--tracing:exporter:endpoint=http://otel:{Password}@127.0.0.1:{port}/v1/traces?token={QueryToken}",
            $"--tracing:exporter:headers:x-otlp-api-key={Key}",
            $"--tracing:exporter:headers:authorization=Bearer {Bearer}");

        Assert.True(run.ExitCode == (viewerListening ? 0 : 1), run.ToString());
        Assert.Contains($"http://***REDACTED***@127.0.0.1:{port}/v1/traces?token=***REDACTED***", run.Line("exporter"));
        foreach (var secret in new[] { Password, QueryToken, Key, Bearer })
        {
            Assert.DoesNotContain(secret, run.Output + run.Errors);
        }
    }

    [Fact]
    public async Task With_the_viewer_stopped_it_says_nothing_is_listening_well_within_the_timeout()
    {
        var endpoint = Endpoint("otlp_grpc");
        await _viewer.StopAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            var run = await ExporterCheckRun.QuickstartAsync($"--tracing:exporter:endpoint={endpoint}", "--tracing:exporter:timeout_ms=10000");
            clock.Stop();

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.StartsWith($"FAIL  tcp       nothing is listening on 127.0.0.1:{new Uri(endpoint).Port} (connection refused)", run.Line("tcp"));
            Assert.StartsWith("skip  spans     not sent", run.Line("spans"));

            // A refused connection is known at once: the check does not wait out timeout_ms (generous margin for a busy machine).
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        }
        finally
        {
            await _viewer.StartAgainAsync();
        }
    }
}
