using System.Diagnostics;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Hosting;
using Hyperspot.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hyperspot.Server.Tests.Modules;

/// <summary>
/// What the host registers for a module: its bound options as <c>IOptions&lt;TOptions&gt;</c> (for endpoints and
/// services alike) and its <see cref="ModuleTelemetry{TModule}"/>, nothing else.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ModuleRegistrationTests : IDisposable
{
    private readonly TempDirectory _home = new("hyperspot-registration-");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Endpoints_and_services_read_the_bound_options_as_IOptions()
    {
        await using var app = Build("modules:\n  vault:\n    config:\n      count: 42\n      base_url: http://vault.internal:8200\n");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal("42 http://vault.internal:8200", await client.GetStringAsync("/vault/v1/settings"));
        var service = app.Services.GetRequiredService<VaultClient>();
        Assert.Same(app.Services.GetRequiredService<IOptions<FakeOptions>>().Value, service.Options);
        Assert.Equal(42, service.Options.Count);
    }

    [Fact]
    public async Task Options_monitor_and_snapshot_see_the_bound_options_not_fresh_defaults()
    {
        await using var app = Build("modules:\n  vault:\n    config:\n      count: 42\n");
        var bound = app.Services.GetRequiredService<IOptions<FakeOptions>>().Value;

        Assert.Same(bound, app.Services.GetRequiredService<IOptionsMonitor<FakeOptions>>().CurrentValue);
        using var scope = app.Services.CreateScope();
        Assert.Same(bound, scope.ServiceProvider.GetRequiredService<IOptionsSnapshot<FakeOptions>>().Value);
    }

    [Fact]
    public async Task The_module_has_one_activity_source_its_telemetry_and_no_untyped_registrations()
    {
        await using var app = Build("modules:\n  vault:\n    config:\n      count: 42\n");

        var telemetry = app.Services.GetRequiredService<ModuleTelemetry<VaultModule>>();
        Assert.Equal(ModuleActivitySource.NameFor("vault"), telemetry.Source.Name);
        Assert.Same(telemetry, app.Services.GetRequiredService<VaultClient>().Telemetry);
        Assert.Null(app.Services.GetKeyedService<ActivitySource>("vault"));
        Assert.Null(app.Services.GetService<FakeOptions>());
    }

    [Fact]
    public async Task A_disabled_module_gets_no_telemetry()
    {
        await using var app = Build("modules:\n  vault:\n    enabled: false\n");
        Assert.Null(app.Services.GetService<ModuleTelemetry<VaultModule>>());
        Assert.Null(app.Services.GetService<VaultClient>());
    }

    [Fact]
    public async Task Telemetry_of_a_class_shared_by_two_modules_fails_naming_them_instead_of_picking_one()
    {
        await using var app = Build("", [new FakeModule("alpha"), new FakeModule("beta")]);

        var error = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<ModuleTelemetry<FakeModule>>());
        Assert.Contains("Modules alpha, beta are all FakeModule", error.Message);
    }

    private WebApplication Build(string modulesYaml, IReadOnlyList<IModule>? modules = null)
    {
        var yaml = $"server:\n  home_dir: {_home.Path}\n  port: 0\ntracing:\n  enabled: false\n{modulesYaml}";
        modules ??= [new VaultModule()];
        return HyperspotApplication.Build(Config.Read(yaml, modules: modules), modules, new HyperspotArguments());
    }

    /// <summary>A module with typed options, one service and one endpoint, written as a module author would.</summary>
    public sealed class VaultModule : IModule<FakeOptions>
    {
        public string Name => "vault";

        public void ConfigureServices(ModuleServicesContext context) => context.Services.AddSingleton<VaultClient>();

        public void MapEndpoints(ModuleEndpointContext context) =>
            context.Api.MapGet("/settings", (IOptions<FakeOptions> options) => Results.Text($"{options.Value.Count} {options.Value.BaseUrl}"));
    }

    public sealed class VaultClient(IOptions<FakeOptions> options, ModuleTelemetry<VaultModule> telemetry)
    {
        public FakeOptions Options { get; } = options.Value;

        public ModuleTelemetry<VaultModule> Telemetry { get; } = telemetry;
    }
}
