using System.Text.Json;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hyperspot.Server.Tests.Host;

/// <summary>
/// The standard ASP.NET Core host settings reach the host as in any ASP.NET Core app. WebApplicationFactory hands its
/// host settings (<c>UseEnvironment</c>, <c>UseContentRoot</c>, <c>UseSetting</c>) to <see cref="Program"/> as
/// <c>--key=value</c> arguments, so these hosts go through the same command line a user types.
/// </summary>
[Collection(HostCollection.Name)]
public class HostSettingsTests
{
    private const string TracingOff = "tracing:\n  enabled: false\n";

    [Fact]
    public async Task The_environment_given_to_the_factory_is_the_host_environment()
    {
        await using var factory = new HyperspotFactory(TracingOff);
        using var staging = factory.WithWebHostBuilder(builder => builder.UseEnvironment("Staging"));
        using var client = staging.CreateClient();

        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
        Assert.Equal("Staging", staging.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
    }

    [Fact]
    public async Task The_content_root_and_application_name_reach_the_host()
    {
        await using var factory = new HyperspotFactory(TracingOff);
        var contentRoot = Directory.CreateDirectory(Path.Combine(factory.Home, "..", "content")).FullName;
        using var moved = factory.WithWebHostBuilder(builder => builder
            .UseContentRoot(contentRoot)
            .UseSetting(WebHostDefaults.ApplicationKey, "api-gateway"));

        var environment = moved.Services.GetRequiredService<IHostEnvironment>();

        Assert.Equal(contentRoot.TrimEnd(Path.DirectorySeparatorChar), environment.ContentRootPath.TrimEnd(Path.DirectorySeparatorChar));
        Assert.Equal("api-gateway", environment.ApplicationName);
    }

    [Fact]
    public async Task A_configuration_override_given_with_use_setting_is_the_command_line_layer()
    {
        await using var factory = new HyperspotFactory(TracingOff + "server:\n  enable_docs: true\n");
        using var overridden = factory.WithWebHostBuilder(builder => builder.UseSetting("server:enable_docs", "false"));
        using var client = overridden.CreateClient();

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/openapi.json")).StatusCode);
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task A_service_a_test_registers_with_configure_test_services_replaces_the_servers_own()
    {
        await using var factory = new HyperspotFactory(TracingOff);
        using var replaced = factory.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<ITelemetryStatus>(new FixedTelemetryStatus())));
        using var client = replaced.CreateClient();

        using var body = JsonDocument.Parse(await client.GetStringAsync("/health"));

        var tracing = body.RootElement.GetProperty("tracing");
        Assert.True(tracing.GetProperty("enabled").GetBoolean());
        Assert.Equal(41, tracing.GetProperty("spans_exported").GetInt64());
        Assert.Equal(1, tracing.GetProperty("spans_dropped").GetInt64());
    }

    private sealed class FixedTelemetryStatus : ITelemetryStatus
    {
        public bool TracingEnabled => true;

        public long SpansExported => 41;

        public long SpansDropped => 1;
    }
}
