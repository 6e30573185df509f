using System.Net.Http.Json;
using System.Text;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>
/// Secrets that travel inside URLs and header lines: the query, fragment and credentials of the configured exporter
/// endpoint and <c>external_base_url</c>, a DSN header with a query, requests whose query has a bare token or an
/// encoded key, <c>;</c> parameters, recorded <c>referer</c>/<c>origin</c> headers holding URLs with credentials (an
/// IPv6 host too), and malformed <c>Authorization</c> lines that Kestrel refuses and quotes in its debug log. None
/// of the values may appear in the output, the log file, the answers, <c>--print-config</c>, <c>check</c>, or
/// the spans and log records the backend received.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class UrlSecretsTests(BackendFixture fixture)
{
    private const string EndpointUser = "epuser-Qm11";
    private const string EndpointPassword = "eppass-Qm12-secret";
    private const string EndpointQuery = "epquery-Qm13-secret";
    private const string EndpointFragment = "epfrag-Qm14-secret";
    private const string BaseUrlQuery = "basequery-Qm15-secret";
    private const string DsnToken = "dsntoken-Qm16-secret";
    private const string DsnQuery = "dsnquery-Qm17-secret";
    private const string BareToken = "bare-Qm18-secret";
    private const string PathParameter = "pathparam-Qm19-secret";
    private const string EncodedKeyValue = "encoded-Qm20-secret";
    private const string RouteQuery = "routequery-Qm21-secret";
    private const string RefererPassword = "refpass-Qm22-secret";
    private const string RefererQuery = "refquery-Qm23-secret";
    private const string OriginPassword = "origpass-Qm24-secret";
    private const string AuthToken = "authtok-Qm25-secret";
    private const string SpacedAuthorization = "spaced-Qm26-secret";
    private const string TabbedAuthorization = "tabbed-Qm27-secret";
    private const string RepeatedAuthorization = "repeated-Qm28-secret";
    private const string RequestLineQuery = "reqline-Qm29-secret";
    private const string TargetFragment = "targetfrag-Qm30-secret";
    private const string RelayParameter = "relayparam-Qm31-secret";
    private const string RelayFragment = "relayfrag-Qm32-secret";

    private static readonly string[] Secrets =
    [
        EndpointPassword, EndpointQuery, EndpointFragment, BaseUrlQuery, DsnToken, DsnQuery, BareToken, PathParameter, EncodedKeyValue,
        RouteQuery, RefererPassword, RefererQuery, OriginPassword, AuthToken, SpacedAuthorization, TabbedAuthorization, RepeatedAuthorization,
        RequestLineQuery, TargetFragment, RelayParameter, RelayFragment,
    ];

    private AspireDashboard Backend => fixture.Backend;

    [Fact]
    public async Task Secrets_inside_urls_and_header_lines_never_appear_anywhere()
    {
        await using var proxy = await FaultyOtlpEndpoint.StartAsync(forwardHttpTo: Backend.OtlpHttpEndpoint);
        await using var downstream = new CapturingServer();
        var yaml = ReliabilityConfig.Yaml(
            $"http://{EndpointUser}:{EndpointPassword}@127.0.0.1:{proxy.HttpPort}/v1/traces?api_key={EndpointQuery}#{EndpointFragment}",
            "otlp_http",
            timeoutMs: 2000,
            exporterHeaders: [$"uptrace-dsn: \"http://{DsnToken}@127.0.0.1:14318?grpc=14317&api_key={DsnQuery}\""],
            batch: ["scheduled_delay_ms: 200"],
            http: ["record_headers: [\"referer\", \"origin\", \"x-auth-token\", \"authorization\"]", "redact_headers: [\"cookie\"]"],
            logging: ["console_level: \"debug\"", "file: \"logs/hyperspot.log\"", "file_level: \"debug\""],
            extraLogging: ["otlp:", "  enabled: true", "Microsoft.AspNetCore:", "  console_level: \"debug\"", "  file_level: \"debug\""])
            + $"modules:\n  examples:\n    config:\n      external_base_url: \"http://127.0.0.1:{{port}}/examples/v1/upstream?api_key={BaseUrlQuery}\"\n";
        await using var server = await TestServer.StartAsync(yaml);
        var written = new StringBuilder();

        async Task Send(string path, int expected, Action<HttpRequestMessage>? headers = null, HttpMethod? method = null, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path) { Content = content };
            headers?.Invoke(request);
            using var response = await server.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == (int)response.StatusCode, $"{path}: {(int)response.StatusCode} {body}");
            written.AppendLine($"{(int)response.StatusCode} {response.Headers} {response.Content.Headers}").AppendLine(body);
        }

        // The upstream URL (external_base_url) carries a query, so the module's calls reach no route: 502.
        await Send($"/examples/v1/users/5?{BareToken}", 502, r =>
        {
            r.Headers.TryAddWithoutValidation("Referer", $"https://refuser:{RefererPassword}@app.example/page?token={RefererQuery}");
            r.Headers.TryAddWithoutValidation("Origin", $"http://origuser:{OriginPassword}@[::1]:8080");
            r.Headers.TryAddWithoutValidation("X-Auth-Token", AuthToken);
            r.Headers.TryAddWithoutValidation("Authorization", [$"Bearer {RepeatedAuthorization}", $"Bearer {RepeatedAuthorization}"]);
        });
        await Send($"/examples/v1/users/6;jsessionid={PathParameter}", 400);
        await Send($"/examples/v1/users/7?api%5Fkey={EncodedKeyValue}", 502);
        await Send($"/examples/v1/users/8%3Ftoken={RouteQuery}", 400);
        await Send("/examples/v1/relay", 200, method: HttpMethod.Post, content: JsonContent.Create(new object[]
        {
            new { url = $"http://127.0.0.1:{downstream.Port}/hook;sid={RelayParameter}#{RelayFragment}", arguments = new { n = 1 } },
        }));

        // What Kestrel refuses before the application sees it, and logs at debug with the offending line.
        foreach (var (path, lines) in new (string, string[])[]
        {
            ("/healthz", [$"Authorization : Bearer {SpacedAuthorization}"]),
            ("/healthz", [$"aUtHoRiZaTiOn\t: Basic {TabbedAuthorization}"]),
            ("/healthz", [$"Authorization : Bearer {RepeatedAuthorization}", $"Authorization : Bearer {RepeatedAuthorization}"]),
            ($"/healthz?tok={RequestLineQuery} junk", []),
            ($"/healthz#{TargetFragment}", []),
        })
        {
            var answer = await RawHttp.GetAsync(server.Port, path, lines);
            written.AppendLine(answer.Raw);
        }

        // Everything so far reaches the backend before the export fails for a while (its warning names the endpoint).
        await Backend.WaitForSpansAsync(
            all => all.Any(s => s.ServiceName == server.ServiceName && s.Kind == SpanKinds.Client && (s.Attribute("url.full") ?? "").Contains("/hook")),
            TimeSpan.FromSeconds(30));
        await Backend.WaitForLogsAsync(
            all => all.Any(l => l.ServiceName == server.ServiceName && (l.Body ?? "").Contains("bad request data")),
            TimeSpan.FromSeconds(30));
        var warningsBefore = SecretsTests.CountLines(server.Process.StandardOutput, "Span export to");
        proxy.Fault = OtlpFault.Unauthenticated;
        await Send("/examples/v1/data", 502);
        await SecretsTests.WaitForLinesAsync(server, "Span export to", warningsBefore + 1);
        proxy.Fault = OtlpFault.None;
        await Send("/examples/v1/data", 502);
        await SecretsTests.WaitForLinesAsync(server, "Span export to", warningsBefore + 2);

        written.AppendLine(await server.Client.GetStringAsync("/health"));
        Assert.Equal(0, await server.StopAsync());

        var configPath = Path.Combine(server.Home, "config.yaml");
        await using var printed = await ServerProcess.RunToExitAsync(["--config", configPath, "--print-config"]);
        Assert.Equal(0, printed.ExitCode);
        var invalidPath = Path.Combine(server.Home, "invalid.yaml");
        await File.WriteAllTextAsync(invalidPath, (await File.ReadAllTextAsync(configPath))
            .Replace($"http://{EndpointUser}:{EndpointPassword}@127.0.0.1:{proxy.HttpPort}", $"ftp://{EndpointUser}:{EndpointPassword}@[::1]:{proxy.HttpPort}")
            .Replace("http://127.0.0.1:", "htp:/127.0.0.1:"));
        await using var checkedConfig = await ServerProcess.RunToExitAsync(["check", "--config", invalidPath]);
        Assert.Equal(2, checkedConfig.ExitCode);

        foreach (var process in new[] { server.Process, printed, checkedConfig })
        {
            written.AppendLine(process.StandardOutput).AppendLine(process.StandardError);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(server.Home, "logs")))
        {
            written.AppendLine(await File.ReadAllTextAsync(file));
        }

        var exported = await ExportedText.OfServiceAsync(Backend, server.ServiceName);
        var all = written + "\n" + exported.Text;

        // The run did what it was meant to: each URL was shown, with its secrets masked.
        Assert.Contains($"/v1/traces?api_key=***REDACTED***#***REDACTED***", server.Process.StandardOutput);
        Assert.Contains("external_base_url: http://127.0.0.1:", printed.StandardOutput);
        Assert.Contains("/examples/v1/upstream?api_key=***REDACTED***", printed.StandardOutput);
        Assert.Contains("tracing.exporter.endpoint", checkedConfig.StandardError);
        Assert.Contains("@[::1]:", checkedConfig.StandardError);
        Assert.Contains("modules.examples.config.external_base_url", checkedConfig.StandardError);
        Assert.Contains("Authorization : ***REDACTED***", written.ToString());
        // Kestrel writes the tab as the text \x09, whose backslash the text log line escapes in turn.
        Assert.Matches(@"aUtHoRiZaTiOn\\+x09: \*\*\*REDACTED\*\*\*", written.ToString());
        var servers = exported.Spans.Where(s => s.Kind == SpanKinds.Server).ToList();
        Assert.Contains(servers, s => s.Attribute("url.query") == "?Redacted");
        Assert.Contains(servers, s => s.Attribute("url.query") is "?api%5Fkey=Redacted" or "?api_key=Redacted");
        Assert.Contains(servers, s => s.Attribute("url.path") == "/examples/v1/users/6;jsessionid=Redacted");
        Assert.Contains(servers, s => (s.Attribute("http.request.header.referer") ?? "").Contains("@app.example/page?token=***REDACTED***"));
        Assert.Contains(servers, s => (s.Attribute("http.request.header.origin") ?? "").Contains("@[::1]:8080"));
        Assert.Contains(servers, s => (s.Attribute("http.request.header.x-auth-token") ?? "").Contains("[REDACTED]"));
        Assert.Contains(exported.Spans, s => s.Kind == SpanKinds.Client && (s.Attribute("url.full") ?? "").EndsWith("/hook;sid=Redacted", StringComparison.Ordinal));
        Assert.Contains(exported.Logs, l => (l.Body ?? "").Contains("bad request data"));
        Assert.Contains(proxy.Attempts, a => a.Answer == "401");

        var leaks = Secrets.Where(s => all.Contains(s, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, $"secret values found: {string.Join(", ", leaks)}\n{ExportedText.Excerpts(all, leaks)}");
    }
}
