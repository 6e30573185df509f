using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hyperspot.Modules.Examples;
using Hyperspot.Modules.Health;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;
using Hyperspot.TestBackend;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hyperspot.Server.Tests.Host;

/// <summary>The real Program under WebApplicationFactory: probes, OpenAPI, module switches, the override layer.</summary>
[Collection(HostCollection.Name)]
public class HostTests
{
    private const string TracingOff = "tracing:\n  enabled: false\n";

    [Fact]
    public async Task Health_reports_status_version_and_span_export_counts()
    {
        await using var factory = new HyperspotFactory(TracingOff);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal(SystemModule.Version, root.GetProperty("version").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", root.GetProperty("version").GetString());
        var tracing = root.GetProperty("tracing");
        Assert.False(tracing.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, tracing.GetProperty("spans_exported").GetInt64());
        Assert.Equal(0, tracing.GetProperty("spans_dropped").GetInt64());
    }

    [Fact]
    public async Task Health_says_tracing_is_enabled_when_an_override_turns_it_on()
    {
        var unusedPort = FreePorts.Pick();
        await using var factory = new HyperspotFactory(TracingOff, new Dictionary<string, string>
        {
            ["tracing:enabled"] = "true",
            ["tracing:exporter:endpoint"] = $"http://127.0.0.1:{unusedPort}",
        });
        using var client = factory.CreateClient();

        using var body = JsonDocument.Parse(await client.GetStringAsync("/health"));

        Assert.True(body.RootElement.GetProperty("tracing").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Healthz_answers_plain_ok()
    {
        await using var factory = new HyperspotFactory(TracingOff);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_module_endpoint()
    {
        await using var factory = new HyperspotFactory(TracingOff);
        using var client = factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi.json"));

        var documented = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        var mapped = MappedPaths(factory.Services).Where(p => p != "/openapi.json").ToList();
        Assert.Contains("/health", mapped);
        Assert.Contains("/examples/v1/users/{id}", mapped);
        Assert.All(mapped, path => Assert.Contains(path, documented));
        Assert.Contains("/examples/v1/relay", documented);
    }

    [Fact]
    public async Task Enable_docs_false_turns_the_openapi_document_off()
    {
        await using var factory = new HyperspotFactory(TracingOff + "server:\n  enable_docs: false\n");
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/openapi.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task A_disabled_module_has_no_endpoints_and_is_not_documented()
    {
        await using var factory = new HyperspotFactory(TracingOff + "modules:\n  examples:\n    enabled: false\n");
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/examples/v1/upstream/data")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/examples/v1/users/1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var openapi = await client.GetStringAsync("/openapi.json");
        Assert.DoesNotContain("/examples/", openapi);
        Assert.Null(factory.Services.GetService<ModuleTelemetry<ExamplesModule>>());
        Assert.Null(factory.Services.GetService<ExamplesClients>());
    }

    [Fact]
    public async Task An_enabled_module_answers_on_its_route_group()
    {
        await using var factory = new HyperspotFactory(TracingOff + "modules:\n  examples:\n    enabled: true\n");
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/examples/v1/upstream/data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_setting_passed_to_the_factory_overrides_the_file()
    {
        await using var factory = new HyperspotFactory(
            TracingOff + "modules:\n  examples:\n    enabled: true\n",
            new Dictionary<string, string> { ["modules:examples:enabled"] = "false" });
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/examples/v1/upstream/data")).StatusCode);
    }

    [Fact]
    public async Task The_module_config_is_bound_and_handed_to_the_module()
    {
        await using var factory = new HyperspotFactory(TracingOff + "modules:\n  examples:\n    config:\n      external_base_url: http://upstream.example:9000\n      relay_allowed_hosts: [upstream.example]\n");
        _ = factory.CreateClient();

        var options = factory.Services.GetRequiredService<IOptions<ExamplesOptions>>().Value;

        Assert.Equal("http://upstream.example:9000", options.ExternalBaseUrl);
        Assert.Equal(["upstream.example"], options.EffectiveRelayAllowedHosts);
        Assert.Equal("http://upstream.example:9000", factory.Services.GetRequiredService<UpstreamAddress>().BaseUrl);
    }

    [Fact]
    public async Task Without_a_config_file_the_host_runs_on_defaults()
    {
        await using var factory = new HyperspotFactory(yaml: null);
        using var client = factory.CreateClient();

        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
        var settings = factory.Services.GetRequiredService<HyperspotSettings>();
        Assert.Null(factory.ConfigPath);
        Assert.Equal(8087, settings.Server.Port);
        Assert.Equal("127.0.0.1", settings.Server.Host);
        Assert.Equal(factory.Home, settings.Server.HomeDir);
    }

    [Fact]
    public async Task A_missing_home_dir_is_created_and_the_relative_log_file_is_written_inside_it()
    {
        await using var factory = new HyperspotFactory(TracingOff + "logging:\n  default:\n    file: var/server.log\n");
        Assert.False(Directory.Exists(factory.Home));
        using var client = factory.CreateClient();

        await client.GetStringAsync("/healthz");

        Assert.True(Directory.Exists(factory.Home));
        Assert.True(File.Exists(Path.Combine(factory.Home, "var", "server.log")));
    }

    /// <summary>The route patterns the host mapped, constraints removed (<c>{id:int}</c> is documented as <c>{id}</c>).</summary>
    private static IEnumerable<string> MappedPaths(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Select(e => "/" + Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{(\w+)(:[^}]*)?\}", "{$1}"))
            .Distinct();
}
