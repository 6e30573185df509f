using System.Text.RegularExpressions;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>
/// Malformed, oversized and repeated trace-context headers, hostile request ids, huge and secret recorded headers:
/// never a 500, and what the backend receives is what W3C Trace Context and the configuration say. Requests are
/// sent as raw bytes so that repeated lines, exact casing and control characters reach the server as written.
/// (Garbage, all-zero ids, version ff and upper-case ids are covered in Tracing/PropagationTests.)
/// </summary>
[Collection(BackendCollection.Name)]
public sealed partial class HostileHeadersTests(BackendFixture fixture, ITestOutputHelper output)
{
    private const string Path = "/examples/v1/upstream/data";
    private static readonly string TenKilobytes = new('a', 10 * 1024);
    private AspireDashboard Backend => fixture.Backend;

    /// <summary>A request, and the parent its server span must have: the caller's (trace id, span id), or none (a fresh root trace).</summary>
    private sealed record TraceCase(string Name, string[] Lines, (string TraceId, string SpanId)? Parent);

    private static IEnumerable<TraceCase> TraceCases()
    {
        TraceCase Continued(string name, Func<string, string, string[]> lines)
        {
            var (trace, span) = (W3C.NewTraceId(), W3C.NewSpanId());
            return new TraceCase(name, lines(trace, span), (trace, span));
        }

        TraceCase Restarted(string name, Func<string, string, string[]> lines) =>
            new(name, lines(W3C.NewTraceId(), W3C.NewSpanId()), null);

        // Version 00 is exactly 55 characters; anything after it makes the header invalid.
        yield return Restarted("10 KB traceparent", (t, s) => [$"traceparent: 00-{t}-{s}-01{TenKilobytes}"]);
        yield return Restarted("version 00 with a trailing field", (t, s) => [$"traceparent: 00-{t}-{s}-01-{TenKilobytes}"]);
        yield return Restarted("two traceparent headers", (t, s) => [$"traceparent: 00-{t}-{s}-01", $"traceparent: 00-{W3C.NewTraceId()}-{W3C.NewSpanId()}-01"]);
        yield return Restarted("non-hex trace id", (t, s) => [$"traceparent: 00-{t[..31]}g-{s}-01"]);
        yield return Restarted("non-hex flags", (t, s) => [$"traceparent: 00-{t}-{s}-0x"]);
        yield return Restarted("non-hex version", (t, s) => [$"traceparent: zz-{t}-{s}-01"]);
        yield return Restarted("empty traceparent", (_, _) => ["traceparent: "]);
        yield return Restarted("higher version, flags not followed by a dash", (t, s) => [$"traceparent: cc-{t}-{s}-01.what-the-future-will-not-be-like"]);

        // A valid traceparent survives whatever comes with it in tracestate and baggage.
        yield return Continued("10 KB tracestate", (t, s) => [$"traceparent: 00-{t}-{s}-01", $"tracestate: vendor={TenKilobytes}"]);
        yield return Continued("malformed tracestate", (t, s) => [$"traceparent: 00-{t}-{s}-01", "tracestate: ,,=;;BAD KEY=1,x=y=z,=="]);
        yield return Continued("two tracestate headers", (t, s) => [$"traceparent: 00-{t}-{s}-01", "tracestate: a=1", "tracestate: b=2"]);
        yield return Continued("10 KB baggage", (t, s) => [$"traceparent: 00-{t}-{s}-01", $"baggage: k={TenKilobytes}"]);
        yield return Continued("malformed baggage", (t, s) => [$"traceparent: 00-{t}-{s}-01", "baggage: =;%%%,,,k=%zz,;=;"]);
        yield return Continued("two baggage headers", (t, s) => [$"traceparent: 00-{t}-{s}-01", "baggage: a=1", "baggage: b=2"]);
    }

    /// <summary>
    /// W3C Trace Context, "Versioning of traceparent": a version above 00 with more fields after the flags (separated by
    /// a dash) is parsed for its known part (trace id, parent id, flags) and continued.
    /// </summary>
    private static IEnumerable<TraceCase> HigherVersionCases()
    {
        foreach (var version in new[] { "01", "cc" })
        {
            var (trace, span) = (W3C.NewTraceId(), W3C.NewSpanId());
            yield return new TraceCase($"version {version} with more fields", [$"traceparent: {version}-{trace}-{span}-01-what-the-future-will-be-like"], (trace, span));
        }
    }

    [Fact]
    public Task Malformed_oversized_and_repeated_trace_headers_never_fail_the_request_and_give_the_trace_w3c_asks_for() =>
        CheckTraceCasesAsync([.. TraceCases()]);

    [Fact]
    public Task Higher_traceparent_versions_with_more_fields_are_continued() =>
        CheckTraceCasesAsync([.. HigherVersionCases()]);

    [Fact]
    public async Task Hostile_request_ids_are_replaced_never_echoed_nor_logged_and_long_ones_are_cut_off_at_128()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        var exactly128 = "id-" + new string('7', 125);

        // HIDE marks values that must be replaced (and so never appear anywhere); Kept is what must be echoed instead.
        var cases = new (string Name, string[] Lines, string? Kept)[]
        {
            ("tab", ["x-request-id: HIDEtab\tinside"], null),
            ("bare CR", ["x-request-id: HIDEcr\rX-Injected: yes"], null),
            ("NUL", ["x-request-id: HIDEnul\0tail"], null),
            ("escape sequence", ["x-request-id: HIDEesc\u001b[31mred"], null),
            ("DEL", ["x-request-id: HIDEdel\u007ftail"], null),
            ("Latin-1 byte", ["x-request-id: HIDElatin\u00e9tail"], null),
            ("obsolete line folding", ["x-request-id: HIDEfold", " X-Injected: yes"], null),
            ("129 characters", ["x-request-id: HIDElong" + new string('x', 129 - 8)], null),
            ("10 KB", ["x-request-id: HIDEhuge" + TenKilobytes], null),
            ("two headers", ["x-request-id: HIDEtwo-a", "x-request-id: HIDEtwo-b"], null),
            ("empty", ["x-request-id: "], null),
            ("exactly 128 characters", [$"x-request-id: {exactly128}"], exactly128),

            // A bare LF ends the header line (RFC 9112 lets a server accept it): the id is the sane part before it, and
            // what follows is just another request header, never a response header.
            ("bare LF", ["x-request-id: split-id-lf\nX-Injected: yes"], "split-id-lf"),
        };

        var seen = new List<string>();
        var allResponses = new System.Text.StringBuilder();
        foreach (var (name, lines, kept) in cases)
        {
            var response = await RawHttp.GetAsync(server.Port, Path, lines);
            allResponses.Append(response.Raw);
            output.WriteLine($"{name}: {response.Status} {response.Header("x-request-id")}");
            Assert.True(response.Status is 200 or 400, $"{name}: status {response.Status}");
            Assert.DoesNotContain(response.Headers, h => h.Key.Equals("X-Injected", StringComparison.OrdinalIgnoreCase));
            if (response.Status == 400)
            {
                // Kestrel refused the request before any of our code ran; nothing was echoed.
                Assert.Null(response.Header("x-request-id"));
                continue;
            }

            var id = response.Header("x-request-id");
            if (kept is not null)
            {
                Assert.Equal(kept, id);
            }
            else
            {
                Assert.True(id is not null && GeneratedId().IsMatch(id), $"{name}: the response carried request id '{id}'");
            }

            seen.Add(id!);
        }

        Assert.True(seen.Count(GeneratedId().IsMatch) >= 5, $"only {seen.Count} of the hostile requests got past Kestrel, too few to say anything");
        Assert.Equal(0, await server.StopAsync());
        var everything = allResponses + server.Process.StandardOutput + server.Process.StandardError + await File.ReadAllTextAsync(server.LogFile);
        Assert.DoesNotContain("HIDE", everything);
        Assert.DoesNotContain("X-Injected", allResponses.ToString());
        var spans = (await Backend.GetSpansAsync()).Where(s => s.ServiceName == server.ServiceName).ToList();
        Assert.Equal(seen.Order(), spans.Where(s => s.Kind == SpanKinds.Server).Select(s => s.Attribute("request.id")!).Order());
    }

    [Fact]
    public async Task Recorded_headers_are_cut_at_1024_characters_and_redacted_ones_never_show_their_value_whatever_the_casing()
    {
        var yaml = Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString())
            .Replace(
                "record_headers: [\"user-agent\", \"x-forwarded-for\", \"authorization\", \"X-Api-Key\"]",
                "record_headers: [\"user-agent\", \"x-forwarded-for\", \"AUTHORIZATION\", \"x-api-key\", \"x-tenant-secret\", \"cookie\"]\n    redact_headers: [\"Authorization\", \"X-API-KEY\", \"X-Tenant-Secret\", \"Cookie\"]");
        await using var server = await TestServer.StartAsync(yaml);
        var userAgent = "agent/" + string.Concat(Enumerable.Range(0, 2000).Select(i => (char)('a' + i % 26)));
        var forwarded = string.Join(", ", Enumerable.Range(0, 1500).Select(i => $"10.0.{i / 250}.{i % 250}"));
        string[] secrets = ["s3cret-bearer-0001", "s3cret-key-0002", "s3cret-tenant-0003", "s3cret-cookie-0004"];
        var response = await RawHttp.GetAsync(server.Port, Path,
        [
            $"User-Agent: {userAgent}",
            $"X-Forwarded-For: {forwarded}",
            $"AUTHORIZATION: Bearer {secrets[0]}",
            $"x-API-kEy: {secrets[1]}",
            $"X-TENANT-SECRET: {secrets[2]}",
            $"x-tenant-secret: {secrets[2]}-again",
            $"COOKIE: session={secrets[3]}",
            "x-request-id: recorded-headers-case",
        ]);
        Assert.Equal(200, response.Status);

        Assert.Equal(0, await server.StopAsync());
        var span = Assert.Single(await Backend.GetSpansAsync(), s => s.ServiceName == server.ServiceName);
        Assert.Equal(userAgent[..1024], Assert.Single(Assert.IsType<string[]>(span.Attributes["http.request.header.user-agent"])));
        Assert.Equal(forwarded[..1024], Assert.Single(Assert.IsType<string[]>(span.Attributes["http.request.header.x-forwarded-for"])));
        foreach (var redacted in new[] { "authorization", "x-api-key", "cookie" })
        {
            Assert.Equal(["[REDACTED]"], Assert.IsType<string[]>(span.Attributes[$"http.request.header.{redacted}"]));
        }

        Assert.All(Assert.IsType<string[]>(span.Attributes["http.request.header.x-tenant-secret"]), v => Assert.Equal("[REDACTED]", v));
        var attributeText = string.Join('\n', span.Attributes.Select(a => $"{a.Key}={span.Attribute(a.Key)}"));
        output.WriteLine(string.Join('\n', span.Attributes.Select(a => $"{a.Key}: {span.Attribute(a.Key)?.Length} characters")));
        Assert.All(secrets, s => Assert.DoesNotContain(s, attributeText));
        var written = server.Process.StandardOutput + server.Process.StandardError + await File.ReadAllTextAsync(server.LogFile);
        Assert.All(secrets, s => Assert.DoesNotContain(s, written));
    }

    private async Task CheckTraceCasesAsync(IReadOnlyList<TraceCase> cases)
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        for (var i = 0; i < cases.Count; i++)
        {
            var response = await RawHttp.GetAsync(server.Port, Path, [.. cases[i].Lines, $"x-request-id: trace-case-{i}"]);
            Assert.True(response.Status == 200, $"{cases[i].Name}: status {response.Status}\n{response.Body}");
        }

        Assert.Equal(0, await server.StopAsync());
        var spans = (await Backend.GetSpansAsync()).Where(s => s.ServiceName == server.ServiceName && s.Kind == SpanKinds.Server).ToList();
        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (name, _, parent) = cases[i];
            var mine = spans.Where(s => s.Attribute("request.id") == $"trace-case-{i}").ToList();
            if (mine.Count != 1)
            {
                failures.Add($"{name}: {mine.Count} server spans");
                continue;
            }

            var span = mine[0];
            if (parent is { } expected && (span.TraceId != expected.TraceId || span.ParentSpanId != expected.SpanId))
            {
                failures.Add($"{name}: expected to continue {expected.TraceId}/{expected.SpanId}, got {span.TraceId}/{span.ParentSpanId ?? "root"}");
            }
            else if (parent is null && (!span.IsRoot || cases[i].Lines.Any(l => l.Contains(span.TraceId, StringComparison.Ordinal))))
            {
                failures.Add($"{name}: expected a fresh root trace, got {span.TraceId}/{span.ParentSpanId ?? "root"}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex GeneratedId();
}
