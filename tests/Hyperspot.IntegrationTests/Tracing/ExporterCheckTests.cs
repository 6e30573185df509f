using Hyperspot.IntegrationTests.Support;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.ExporterCheck;
using Hyperspot.Server.Telemetry.Diagnosis;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>
/// <c>check --exporter</c> against the local viewer (the Aspire Dashboard): the test span arrives under the printed
/// trace id, and the commonest mistakes are named from what the viewer answers.
/// </summary>
public sealed class ExporterCheckTests : IClassFixture<BackendFixture>
{
    private readonly AspireDashboard _viewer;

    public ExporterCheckTests(BackendFixture fixture) => _viewer = fixture.Backend;

    private string Endpoint(string kind) => (kind == "otlp_grpc" ? _viewer.OtlpGrpcEndpoint : _viewer.OtlpHttpEndpoint).ToString();

    [Theory]
    [InlineData("otlp_grpc")]
    [InlineData("otlp_http")]
    public async Task The_test_span_and_log_record_arrive_under_the_printed_trace_id(string kind)
    {
        var run = await ExporterCheckRun.QuickstartAsync($"--tracing:exporter:kind={kind}", $"--tracing:exporter:endpoint={Endpoint(kind)}");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("ok", run.Line("tcp"));
        Assert.Matches(@"^ok +spans +accepted in \d+ ms \((gRPC status OK|HTTP 200 OK)\)$", run.Line("spans"));
        Assert.StartsWith("ok", run.Line("logs")); // quickstart.yaml sends log records over OTLP too
        Assert.Contains("service hyperspot-quickstart", run.Line("trace id"));

        var spans = await _viewer.WaitForTraceAsync(run.TraceId, 1, TimeSpan.FromSeconds(30));
        var span = Assert.Single(spans);
        Assert.Equal("exporter check", span.Name);
        Assert.Equal("hyperspot-quickstart", span.ServiceName);
        var logs = await _viewer.WaitForLogsAsync(l => l.Any(r => r.TraceId == run.TraceId), TimeSpan.FromSeconds(30));
        Assert.Contains(logs, r => r.TraceId == run.TraceId && r.ServiceName == "hyperspot-quickstart");
    }

    [Fact]
    public async Task The_sampler_is_described_in_words()
    {
        var run = await ExporterCheckRun.QuickstartAsync(
            $"--tracing:exporter:endpoint={Endpoint("otlp_grpc")}", "--tracing:sampler:strategy=parentbased_ratio", "--tracing:sampler:ratio=0.1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.EndsWith("parentbased_ratio 0.1: 10% of new traces; a caller's decision is followed", run.Line("sampler"));
    }

    [Fact]
    public async Task Grpc_sent_to_the_otlp_http_port_names_the_mismatch()
    {
        var run = await ExporterCheckRun.QuickstartAsync("--tracing:exporter:kind=otlp_grpc", $"--tracing:exporter:endpoint={Endpoint("otlp_http")}");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("ok", run.Line("tcp"));
        Assert.Contains(ExportFailureClassifier.HttpPortForGrpc, run.Line("spans"));
        Assert.StartsWith("skip", run.Line("logs"));
        Assert.DoesNotContain("trace id", run.Output);
    }

    [Fact]
    public async Task Otlp_http_sent_to_the_grpc_port_names_the_mismatch()
    {
        var run = await ExporterCheckRun.QuickstartAsync("--tracing:exporter:kind=otlp_http", $"--tracing:exporter:endpoint={Endpoint("otlp_grpc")}");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(ExportFailureClassifier.GrpcPortForHttp, run.Line("spans"));
    }

    [Theory]
    [InlineData("otlp_grpc")]
    [InlineData("otlp_http")]
    public async Task Https_to_the_viewers_plain_text_port_is_named(string kind)
    {
        var plain = new Uri(Endpoint(kind));
        var run = await ExporterCheckRun.QuickstartAsync($"--tracing:exporter:kind={kind}", $"--tracing:exporter:endpoint=https://127.0.0.1:{plain.Port}");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("TLS versus plain text: the endpoint is https:// but the port answers in plain text: use http:// in tracing.exporter.endpoint", run.Line("spans"));
    }

    [Theory]
    [InlineData("otlp_grpc", "otlp_http", PortFinding.AcceptsOtlpGrpc)]
    [InlineData("otlp_http", "otlp_grpc", PortFinding.AcceptsOtlpHttp)]
    public async Task A_second_look_at_the_port_finds_the_protocol_it_speaks(string portOf, string kind, PortFinding expected)
    {
        var settings = new ExporterSettings { Kind = kind == "otlp_http" ? ExporterKind.OtlpHttp : ExporterKind.OtlpGrpc, Endpoint = Endpoint(portOf) };
        var closed = new ExportDiagnosis(ExportProblem.ConnectionClosed, "the connection closed", null);

        Assert.Equal(expected, await PortProbe.LookAsync(settings, closed, TimeSpan.FromSeconds(10)));
        Assert.Equal(PortFinding.Unknown, await PortProbe.LookAsync(settings, closed with { Problem = ExportProblem.Credentials }, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_running_server_names_the_same_cause_as_the_check()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Endpoint("otlp_http"), "otlp_grpc"));
        using var response = await server.Client.GetAsync("/examples/v1/users/42");
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(0, await server.StopAsync());

        var warning = Assert.Single(server.Process.StandardOutput.Split('\n'), l => l.Contains("Span export to"));
        Assert.Contains($"failed: {ExportFailureClassifier.HttpPortForGrpc}", warning);
    }
}
