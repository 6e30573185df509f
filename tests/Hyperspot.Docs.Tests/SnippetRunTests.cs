using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hyperspot.Docs.Tests.Snippets;
using Hyperspot.Docs.Tests.Support;
using Hyperspot.Modules;
using Hyperspot.Server.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using MyCompany.Greetings;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Docs.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostCollection
{
    /// <summary>Hosts set process-wide state (the propagator, activity listeners): one at a time.</summary>
    public const string Name = "hosts";
}

/// <summary>The guide's snippets, run: the module on the real server, the span helpers against a listener.</summary>
[Collection(HostCollection.Name)]
public sealed partial class SnippetRunTests
{
    [Fact]
    public async Task Greetings_module_answers_and_traces_as_the_guide_says()
    {
        var claim = GreetingClaim().Match(DocFiles.Text("docs/TRACING.md"));
        Assert.True(claim.Success, "docs/TRACING.md no longer says what GET /greetings/v1/hello/... answers");
        var expected = JsonDocument.Parse(claim.Groups["body"].Value).RootElement;

        using var spans = new SpanRecorder(ModuleActivitySource.NameFor("greetings"), ServerSpanSource);
        await using var host = await DocHost.StartAsync(GuideBlock("greetings:", "Bonjour"), [new GreetingsModule()]);

        using var response = await host.Client.GetAsync(claim.Groups["path"].Value);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(expected.GetProperty("message").GetString(), body.GetProperty("message").GetString());
        Assert.StartsWith("Bonjour, ", body.GetProperty("message").GetString()); // the configured salutation, read from IOptions
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), body.GetProperty("request_id").GetString());

        var span = spans.Single("compose_greeting");
        Assert.Equal(3, span.GetTagItem("greeting.name_length"));
        Assert.Equal("success", span.GetTagItem(SpanOutcome.ResultAttribute));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);

        // Under the server span of the request: the server span ends after the answer is sent, so wait for it.
        var server = await StoppedSpanAsync(spans, a => a.SpanId == span.ParentSpanId);
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal(span.TraceId, server.TraceId);
    }

    [Fact]
    public async Task Greetings_module_marks_a_refused_name_as_failed()
    {
        using var spans = new SpanRecorder(ModuleActivitySource.NameFor("greetings"));
        await using var host = await DocHost.StartAsync(GuideBlock("greetings:", "Bonjour"), [new GreetingsModule()]);

        using var response = await host.Client.GetAsync("/greetings/v1/hello/" + new string('a', 33));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var span = spans.Single("compose_greeting");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(true, span.GetTagItem("error"));
        Assert.Equal("name longer than 32 characters", span.GetTagItem("error.message"));
        Assert.Equal("error", span.GetTagItem(SpanOutcome.ResultAttribute));
    }

    [Fact]
    public void Writing_a_module_tabulates_exactly_the_members_a_module_implements()
    {
        var guide = DocFiles.Text("docs/TRACING.md");
        var start = guide.IndexOf("## Writing a module\n", StringComparison.Ordinal);
        var section = guide[start..guide.IndexOf("### Registering a module\n", start, StringComparison.Ordinal)];
        var documented = TableFirstCells().Matches(section)
            .SelectMany(row => Regex.Matches(row.Groups["cell"].Value, @"`(?<name>\w+)").Select(m => m.Groups["name"].Value))
            .Order();

        // OptionsType is the host's: a module declares IModule<TOptions> instead.
        var implemented = typeof(IModule).GetMembers()
            .Where(m => m is not MethodInfo { IsSpecialName: true } && m.Name != nameof(IModule.OptionsType))
            .Select(m => m.Name)
            .Order();
        Assert.Equal(implemented, documented);
    }

    [Fact]
    public async Task Program_of_your_own_host_runs_the_same_commands()
    {
        var valid = WriteTemp(GuideBlock("greetings:", "Bonjour"));
        var invalid = WriteTemp(GuideBlock("# rejected: modules.greetings"));
        try
        {
            Assert.Equal(0, await ProgramSnippet.RunAsync(["check", "--config", valid]));
            Assert.Equal(0, await ProgramSnippet.RunAsync(["--list-modules", "-c", valid]));
            Assert.Equal(2, await ProgramSnippet.RunAsync(["check", "--config", invalid]));
        }
        finally
        {
            File.Delete(valid);
            File.Delete(invalid);
        }

        Assert.Contains(ShippedModulesWithGreetings.All, m => m is GreetingsModule);
    }

    [Fact]
    public async Task Request_id_is_echoed_kept_when_sane_and_made_otherwise()
    {
        await using var host = await DocHost.StartAsync("server: {}\n", [new WhoAmIModule()]);

        async Task<(string Header, string Body)> Call(string? incoming)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami/v1/whoami");
            if (incoming is not null)
            {
                request.Headers.TryAddWithoutValidation("x-request-id", incoming);
            }

            using var response = await host.Client.SendAsync(request);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString()!;
            return (response.Headers.GetValues("x-request-id").Single(), body);
        }

        Assert.Equal(("checkout-7f3a", "checkout-7f3a"), await Call("checkout-7f3a"));

        foreach (var insane in new string?[] { null, new string('x', 129) })
        {
            var (header, body) = await Call(insane);
            Assert.Equal(header, body);
            Assert.Matches("^[0-9a-f]{32}$", header);
        }
    }

    [Fact]
    public async Task Request_ids_turned_off_as_the_guide_shows_leave_no_trace()
    {
        await using var host = await DocHost.StartAsync(GuideBlock("inject_request_id_header: \"\""), [new WhoAmIModule()]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami/v1/whoami");
        request.Headers.Add("x-request-id", "checkout-7f3a");
        using var response = await host.Client.SendAsync(request);

        Assert.False(response.Headers.Contains("x-request-id"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, body.GetProperty("request_id").ValueKind);
    }

    [Fact]
    public void Empty_log_file_turns_file_logging_off()
    {
        Assert.Null(DocConfig.LoadYaml(GuideBlock("file: \"\"")).Logging.File);
    }

    [Fact]
    public async Task Users_module_resolves_its_processor_with_the_module_telemetry()
    {
        await using var host = await DocHost.StartAsync("server: {}\n", [new UsersModule()], start: false);
        Assert.NotNull(host.App.Services.GetRequiredService<UserProcessor>());
        Assert.Equal(
            ModuleActivitySource.NameFor("users"),
            host.App.Services.GetRequiredService<ModuleTelemetry<UsersModule>>().Source.Name);
    }

    [Fact]
    public async Task Data_module_registers_a_configured_traced_client()
    {
        await using var host = await DocHost.StartAsync("server: {}\n", [new DataModule()], start: false);
        Assert.Equal(TimeSpan.FromSeconds(10), host.App.Services.GetRequiredService<TracedClient>().Inner.Timeout);
    }

    [Fact]
    public void Converted_clients_wrap_the_same_http_client()
    {
        var (tracedClient, alsoTraced) = TracedClientSnippets.Convert();
        Assert.Same(tracedClient.Inner, alsoTraced.Inner);
    }

    [Fact]
    public void Structured_attributes_are_recorded_and_a_null_span_is_harmless()
    {
        using var source = new ActivitySource($"Hyperspot.Docs.Tests.{Guid.NewGuid():N}");
        StructuredAttributesSnippet.Run(source, 42, "ada@example.com"); // nothing listens: StartActivity returns null

        using var spans = new SpanRecorder(source.Name);
        StructuredAttributesSnippet.Run(source, 42, "ada@example.com");
        var span = spans.Single("user_operation");
        Assert.Equal(42L, span.GetTagItem("user.id"));
        Assert.Equal("ada@example.com", span.GetTagItem("user.email"));
        Assert.Equal("create", span.GetTagItem("operation.type"));
        Assert.Equal("success", span.GetTagItem("operation.result"));
    }

    [Fact]
    public async Task Error_handling_marks_the_span_as_the_guide_tabulates()
    {
        using var source = new ActivitySource($"Hyperspot.Docs.Tests.{Guid.NewGuid():N}");
        using var spans = new SpanRecorder(source.Name);

        Assert.Equal("done", await new ErrorHandlingSnippet(_ => Task.FromResult("done")).RunAsync(source, CancellationToken.None));
        var succeeded = spans.Single("risky_operation");
        Assert.Equal(ActivityStatusCode.Unset, succeeded.Status);
        Assert.Equal("success", succeeded.GetTagItem("operation.result"));

        var failing = new ErrorHandlingSnippet(_ => throw new InvalidOperationException("disk full"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.RunAsync(source, CancellationToken.None));
        var failed = spans.Stopped.Last(a => a.OperationName == "risky_operation");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("disk full", failed.StatusDescription);
        Assert.Equal(true, failed.GetTagItem("error"));
        Assert.Equal("disk full", failed.GetTagItem("error.message"));
        Assert.Equal("error", failed.GetTagItem("operation.result"));
        Assert.Contains(failed.Events, e => e.Name == "exception");
    }

    private const string ServerSpanSource = ServerSpanMiddleware.AspNetCoreSource;

    /// <summary>The first recorded span that matches, waited for up to a generous deadline.</summary>
    private static async Task<Activity> StoppedSpanAsync(SpanRecorder spans, Func<Activity, bool> match)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (spans.Stopped.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.False(deadline.IsCancellationRequested, "no matching span ended within 30 s");
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    /// <summary>The guide's yaml block that contains every one of <paramref name="markers"/>.</summary>
    private static string GuideBlock(params string[] markers) =>
        DocFiles.OfLanguage("yaml").Single(b => b.File == "docs/TRACING.md" && markers.All(m => b.Content.Contains(m, StringComparison.Ordinal))).Content;

    private static string WriteTemp(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hyperspot-docs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [GeneratedRegex(@"^\| (?<cell>`[^|]+)\|", RegexOptions.Multiline)]
    private static partial Regex TableFirstCells();

    [GeneratedRegex(@"`GET (?<path>/greetings/v1/hello/\w+)`\s+then\s+answers\s+`(?<body>\{[^`]*\})`")]
    private static partial Regex GreetingClaim();
}
