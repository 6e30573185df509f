using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.Server.Cli;
using Hyperspot.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>
/// <c>check --exporter</c> facing answers the local viewer never gives: a partial success, a redirect, a backend
/// that accepts the connection and never answers; and the switches that mean no span would be sent at all.
/// </summary>
public sealed class ExporterCheckAnswerTests
{
    /// <summary>An OTLP/HTTP endpoint in the test process that answers every request with <paramref name="answer"/>.</summary>
    private sealed class Endpoint(WebApplication app, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public int Requests;

        public string Url => $"http://127.0.0.1:{Port}";

        public static async Task<Endpoint> StartAsync(Func<HttpContext, Task> answer)
        {
            var port = Hyperspot.TestBackend.FreePorts.Pick();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http1));
            var app = builder.Build();
            var endpoint = new Endpoint(app, port);
            app.Run(async context =>
            {
                Interlocked.Increment(ref endpoint.Requests);
                await answer(context);
            });
            await app.StartAsync();
            return endpoint;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }

    [Theory]
    [InlineData("otlp_grpc")]
    [InlineData("otlp_http")]
    public async Task Plain_text_to_a_tls_port_is_named(string kind)
    {
        var port = Hyperspot.TestBackend.FreePorts.Pick();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var generated = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(generated.Export(X509ContentType.Pfx), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.UseHttps(certificate)));
        await using var app = builder.Build();
        app.Run(_ => Task.CompletedTask);
        await app.StartAsync();

        var run = await ExporterCheckRun.QuickstartAsync($"--tracing:exporter:kind={kind}", $"--tracing:exporter:endpoint=http://127.0.0.1:{port}", "--logging:otlp:enabled=false");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("TLS versus plain text: the port speaks TLS but the endpoint is http://: use https:// in tracing.exporter.endpoint", run.Line("spans"));

        var untrusted = await ExporterCheckRun.QuickstartAsync($"--tracing:exporter:kind={kind}", $"--tracing:exporter:endpoint=https://127.0.0.1:{port}", "--logging:otlp:enabled=false");
        Assert.Contains("the backend's TLS certificate is not accepted", untrusted.Line("spans"));
    }

    [Fact]
    public async Task A_partial_success_names_the_rejected_span_and_the_reason()
    {
        await using var backend = await Endpoint.StartAsync(async context =>
        {
            context.Response.ContentType = "application/x-protobuf";
            // ExportTraceServiceResponse { partial_success { rejected_spans: 1, error_message: "span too old" } }
            byte[] message = [.. "span too old"u8];
            await context.Response.Body.WriteAsync((byte[])[0x0A, (byte)(message.Length + 4), 0x08, 0x01, 0x12, (byte)message.Length, .. message]);
        });

        var run = await ExporterCheckRun.QuickstartAsync("--tracing:exporter:kind=otlp_http", $"--tracing:exporter:endpoint={backend.Url}", "--logging:otlp:enabled=false");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("FAIL  spans     partial success: the backend rejected 1 of 1 spans: span too old", run.Line("spans"));
    }

    [Fact]
    public async Task A_redirect_is_reported_and_not_followed()
    {
        await using var elsewhere = await Endpoint.StartAsync(_ => Task.CompletedTask);
        await using var backend = await Endpoint.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = $"{elsewhere.Url}/v1/traces";
            return Task.CompletedTask;
        });

        var run = await ExporterCheckRun.QuickstartAsync("--tracing:exporter:kind=otlp_http", $"--tracing:exporter:endpoint={backend.Url}");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"the endpoint redirects to {elsewhere.Url}/v1/traces: configure that URL instead (redirects are not followed)", run.Line("spans"));
        Assert.Equal(1, backend.Requests);
        Assert.Equal(0, elsewhere.Requests);
    }

    [Theory]
    [InlineData("otlp_grpc")]
    [InlineData("otlp_http")]
    public async Task A_backend_that_never_answers_is_given_up_within_the_timeout_plus_a_second(string kind)
    {
        const int TimeoutMs = 1500;
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await silent.AcceptTcpClientAsync()); // accepted, never read from, never answered
            }
        });

        // In process, to time the check itself (from "Configuration is valid" to its end), not the start of a process.
        using var output = new TimedWriter();
        using var errors = new StringWriter();
        var code = await new ServerCommandLine(ShippedModules.All, output, errors).InvokeAsync(
            ["check", "--exporter", "--config", Path.Combine(Hyperspot.TestBackend.TraceViewerLocator.FindRepositoryRoot(), "config/quickstart.yaml"),
             $"--tracing:exporter:kind={kind}", $"--tracing:exporter:endpoint=http://127.0.0.1:{port}", $"--tracing:exporter:timeout_ms={TimeoutMs}",
             "--server:home_dir=/nonexistent/hyperspot-check"]);
        var took = output.SinceFirstWrite;

        Assert.True(code == 1, $"exit {code}\n{output}\n{errors}");
        Assert.Contains($"FAIL  spans     no answer within {TimeoutMs} ms (tracing.exporter.timeout_ms)", output.ToString());
        Assert.True(took < TimeSpan.FromMilliseconds(TimeoutMs + 1000), $"the check took {took.TotalMilliseconds:0} ms");
        silent.Stop();
        foreach (var client in held)
        {
            client.Dispose();
        }
    }

    /// <summary>Remembers when it was first written to.</summary>
    private sealed class TimedWriter : StringWriter
    {
        private readonly Stopwatch _clock = new();

        public TimeSpan SinceFirstWrite => _clock.Elapsed;

        public override void Write(char value)
        {
            _clock.Start();
            base.Write(value);
        }

        public override void Write(string? value)
        {
            _clock.Start();
            base.Write(value);
        }

        public override void WriteLine(string? value)
        {
            _clock.Start();
            base.WriteLine(value);
        }
    }

    [Fact]
    public async Task Tracing_off_means_no_span_would_be_sent_and_exits_1()
    {
        var run = await ExporterCheckRun.QuickstartAsync("--tracing:enabled=false");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("Configuration is valid", run.Output);
        Assert.Contains("FAIL  tracing   disabled (tracing.enabled is false, or OTEL_SDK_DISABLED=true): no span would be sent", run.Output);
        Assert.Equal(2, run.Output.Trim().Split('\n').Length); // nothing is resolved, connected or sent
    }

    [Fact]
    public async Task A_sampler_that_never_samples_fails_the_check_though_the_test_span_is_sent()
    {
        await using var backend = await Endpoint.StartAsync(context =>
        {
            context.Response.ContentType = "application/x-protobuf";
            return Task.CompletedTask;
        });

        var run = await ExporterCheckRun.QuickstartAsync(
            "--tracing:sampler:strategy=always_off", "--tracing:exporter:kind=otlp_http", $"--tracing:exporter:endpoint={backend.Url}", "--logging:otlp:enabled=false");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("FAIL  sampler   always_off: no trace is ever sampled", run.Line("sampler"));
        Assert.StartsWith("ok    spans     accepted", run.Line("spans"));
    }
}
