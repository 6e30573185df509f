using System.Net.Http.Json;
using System.Text;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>
/// One run configured with known secret values, with ASP.NET Core's own request lines let through, driven through
/// successes, errors and export failures (a 401 that quotes the rejected credentials back), then
/// <c>--print-config</c> and <c>check</c> on an invalid configuration holding the same secrets: none of the values
/// may appear in anything the process wrote or sent to the trace backend.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class SecretsTests(BackendFixture fixture)
{
    private const string ApiKey = "apik3y-Zq81-secret";
    private const string DsnToken = "dsnT0ken-Wp27-secret";
    private const string Bearer = "bearer-Kx55-secret";
    private const string ExporterBearer = "expbearer-Gy18-secret";
    private const string ApiKeyHeader = "xapikey-Ju06-secret";
    private const string CookieValue = "cookie-Ee39-secret";
    private const string ExporterUser = "expuser-Hm02";
    private const string ExporterPassword = "p4ss-Rt93-secret";
    private const string RelayUser = "relayuser-Lc44";
    private const string RelayPassword = "relay-Vb61-secret";
    private const string RelayQueryToken = "qtoken-Nn70-secret";
    private const string RequestQueryToken = "qs-Tt12-secret";

    private static readonly string[] Secrets =
    [
        ApiKey, DsnToken, Bearer, ExporterBearer, ApiKeyHeader, CookieValue, ExporterUser, ExporterPassword, RelayUser, RelayPassword, RelayQueryToken, RequestQueryToken,
    ];

    private AspireDashboard Backend => fixture.Backend;

    [Fact]
    public async Task No_secret_value_appears_in_output_logs_answers_or_exported_telemetry()
    {
        // The exporter goes through a fault injector that forwards to the real backend, so exports can fail and recover.
        await using var proxy = await FaultyOtlpEndpoint.StartAsync(forwardHttpTo: Backend.OtlpHttpEndpoint);
        await using var downstream = new CapturingServer();
        var closedPort = FreePorts.Pick();
        var yaml = ReliabilityConfig.Yaml(
            $"http://{ExporterUser}:{ExporterPassword}@127.0.0.1:{proxy.HttpPort}",
            "otlp_http",
            timeoutMs: 2000,
            exporterHeaders: [$"x-otlp-api-key: \"{ApiKey}\"", $"uptrace-dsn: \"http://{DsnToken}@127.0.0.1:14318?grpc=14317\"", $"authorization: \"Bearer {ExporterBearer}\""],
            batch: ["scheduled_delay_ms: 200"],
            http: ["record_headers: [\"user-agent\", \"authorization\", \"x-api-key\", \"cookie\"]"],
            logging: ["console_level: \"debug\"", "file: \"logs/hyperspot.log\"", "file_level: \"debug\""],
            extraLogging: ["otlp:", "  enabled: true", "Microsoft.AspNetCore:", "  console_level: \"debug\"", "  file_level: \"debug\""]);
        await using var server = await TestServer.StartAsync(yaml);
        var written = new StringBuilder();

        async Task Exercise()
        {
            await Capture(written, server.Client, HttpMethod.Get, $"/examples/v1/users/5?api_token={RequestQueryToken}", 200);
            await Capture(written, server.Client, HttpMethod.Get, $"/examples/v1/users/-1?api_token={RequestQueryToken}", 502);
            await Capture(written, server.Client, HttpMethod.Get, $"/no/such/path?token={RequestQueryToken}", 404);
            await Capture(written, server.Client, HttpMethod.Post, "/examples/v1/relay", 200, JsonContent.Create(new object[]
            {
                new { url = $"http://{RelayUser}:{RelayPassword}@127.0.0.1:{downstream.Port}/hook?token={RelayQueryToken}", arguments = new { n = 1 } },
                new { url = $"http://{RelayUser}:{RelayPassword}@127.0.0.1:{closedPort}/hook?token={RelayQueryToken}", arguments = new { n = 2 } },
            }));
            await Capture(written, server.Client, HttpMethod.Post, "/examples/v1/relay", 400, JsonContent.Create(new object[]
            {
                new { url = $"http://{RelayUser}:{RelayPassword}@127.0.0.2:{downstream.Port}/hook?token={RelayQueryToken}", arguments = new { n = 3 } },
            }));
            await Capture(written, server.Client, HttpMethod.Post, "/examples/v1/relay", 400, new StringContent($"[{{\"url\": \"{RelayPassword}", Encoding.UTF8, "application/json"));
        }

        await Exercise();

        // The backend refuses the key (401), then comes back; then it is unavailable (503), then comes back.
        foreach (var fault in new[] { OtlpFault.Unauthenticated, OtlpFault.Unavailable })
        {
            var warningsBefore = CountLines(server.Process.StandardOutput, "Span export to");
            proxy.Fault = fault;
            await Exercise();
            await WaitForLinesAsync(server, "Span export to", warningsBefore + 1);
            proxy.Fault = OtlpFault.None;
            await Exercise();
            await WaitForLinesAsync(server, "Span export to", warningsBefore + 2);
        }

        var health = await server.Client.GetStringAsync("/health");
        written.AppendLine(health);
        Assert.Equal(0, await server.StopAsync());

        var configPath = Path.Combine(server.Home, "config.yaml");
        await using var printed = await ServerProcess.RunToExitAsync(["--config", configPath, "--print-config"]);
        Assert.Equal(0, printed.ExitCode);
        Assert.Contains("***REDACTED***", printed.StandardOutput);

        var invalidPath = Path.Combine(server.Home, "invalid.yaml");
        await File.WriteAllTextAsync(invalidPath, (await File.ReadAllTextAsync(configPath))
            .Replace($"http://{ExporterUser}", $"ftp://{ExporterUser}")
            .Replace($"x-otlp-api-key: \"{ApiKey}\"", $"x-otlp-api-key: \"{ApiKey}\\a\"\n      bad header: \"{ApiKey}\"")
            .Replace("timeout_ms: 2000", $"timeout_ms: \"soon\"\n    api_key: \"{ApiKey}\"\n    password: \"{ExporterPassword}\""));
        await using var checkedConfig = await ServerProcess.RunToExitAsync(["check", "--config", invalidPath]);
        Assert.Equal(2, checkedConfig.ExitCode);
        Assert.Contains("tracing.exporter.endpoint", checkedConfig.StandardError);
        Assert.Contains("tracing.exporter.timeout_ms", checkedConfig.StandardError);

        // Everything the processes wrote.
        foreach (var process in new[] { server.Process, printed, checkedConfig })
        {
            written.AppendLine(process.StandardOutput).AppendLine(process.StandardError);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(server.Home, "logs")))
        {
            written.AppendLine(await File.ReadAllTextAsync(file));
        }

        // Everything the backend holds from this run: spans (names, attributes, events, status, resource) and log records.
        var (spans, logs, exported) = await ExportedText.OfServiceAsync(Backend, server.ServiceName);

        // The run did what it was meant to: spans and logs reached the backend, exports failed twice and recovered.
        Assert.Contains(spans, s => s.Name == "GET /examples/v1/users/{id}");
        Assert.Contains(spans, s => s.Kind == SpanKinds.Client && (s.Attribute("url.full") ?? "").Contains($"127.0.0.1:{downstream.Port}/hook"));
        Assert.Contains(logs, l => (l.Body ?? "").Contains("Relay call to"));
        Assert.Contains(proxy.Attempts, a => a.Answer == "401");
        Assert.Contains(proxy.Attempts, a => a.Answer == "503");
        Assert.Contains("refused the export", written.ToString());
        Assert.Contains("invalid token", written.ToString()); // the backend quoted the credential back, masked
        Assert.Contains("Request starting HTTP/1.1 GET", written.ToString());
        Assert.Contains("api_token=Redacted", written.ToString());
        Assert.Contains("recovered after", written.ToString());

        var leaks = Secrets.Where(s => written.ToString().Contains(s, StringComparison.Ordinal) || exported.Contains(s, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, $"secret values found: {string.Join(", ", leaks)}\n{ExportedText.Excerpts(written + "\n" + exported, leaks)}");

        // The downstream the relay called never got the caller's credentials either.
        var forwarded = string.Join('\n', downstream.Requests.SelectMany(r => r.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}")));
        Assert.DoesNotContain(Bearer, forwarded);
        Assert.DoesNotContain(ApiKeyHeader, forwarded);
        Assert.DoesNotContain(CookieValue, forwarded);
    }

    private static async Task Capture(StringBuilder written, HttpClient client, HttpMethod method, string path, int expected, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {Bearer}");
        request.Headers.TryAddWithoutValidation("X-Api-Key", ApiKeyHeader);
        request.Headers.TryAddWithoutValidation("Cookie", $"session={CookieValue}");
        using var response = await client.SendAsync(request);
        Assert.True(expected == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode}");
        written.AppendLine($"{(int)response.StatusCode} {response.Headers} {response.Content.Headers}");
        written.AppendLine(await response.Content.ReadAsStringAsync());
    }

    internal static int CountLines(string text, string containing) =>
        text.Split('\n').Count(l => l.Contains(containing, StringComparison.Ordinal));

    internal static async Task WaitForLinesAsync(TestServer server, string containing, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (CountLines(server.Process.StandardOutput, containing) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} lines with '{containing}':\n{server.Process.StandardOutput}");
            }

            await Task.Delay(100);
        }
    }
}
