using System.Runtime.CompilerServices;
using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Metrics;
using Hyperspot.Server.Pipeline;
using Hyperspot.Server.Reload;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Hosting;

/// <summary>
/// The composition root: loads the layered configuration and validates it (<see cref="LoadSettings"/>, which
/// <c>check</c>, <c>--print-config</c> and <c>--list-modules</c> use too), then registers logging, tracing and the
/// modules and builds the web application (<see cref="Build(HyperspotArguments, IReadOnlyList{IModule})"/>).
/// </summary>
public static class HyperspotApplication
{
    /// <summary>The web application the command line runs: configuration loaded and validated, then built.</summary>
    /// <exception cref="ConfigurationException">The configuration is invalid, or the home directory cannot be created.</exception>
    /// <remarks>
    /// Its configuration is reloaded while it runs (the file changes, SIGHUP): <see cref="ConfigurationReloader"/> runs
    /// the same layered load again.
    /// </remarks>
    public static WebApplication Build(HyperspotArguments arguments, IReadOnlyList<IModule> modules) =>
        Build(LoadSettings(arguments, modules), modules, arguments);

    /// <summary>
    /// The layered configuration (defaults &lt; YAML &lt; <c>OTEL_*</c> &lt; <c>APP__</c> &lt; command line), read into
    /// validated settings; the enabled modules' dependencies are checked too (a cycle, a disabled dependency).
    /// </summary>
    /// <exception cref="ConfigurationException">Every problem found, each naming its configuration path.</exception>
    public static HyperspotSettings LoadSettings(HyperspotArguments arguments, IReadOnlyList<IModule> modules)
    {
        var configuration = ConfigurationLoader.Load(arguments.ConfigPath, arguments.Overrides, Environment.GetEnvironmentVariables());
        var settings = HyperspotSettings.Read(configuration, modules, arguments.Verbosity);
        ModuleOrder.Resolve(modules, settings.Modules);
        return settings;
    }

    /// <summary>
    /// The host's own <c>appsettings*.json</c> layer is not watched. This server's configuration is its YAML file and
    /// the layers above it, watched by <see cref="ConfigurationReloader"/>; watching those JSON files makes ASP.NET
    /// Core watch the whole content root (the working directory) and everything below it, so a server started from a
    /// directory that holds its log files, or from a home directory, woke on every write below it and spent a
    /// watch on every subdirectory.
    /// </summary>
    internal const string NoContentRootWatch = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>
    /// The web application built from validated settings: logging, tracing, metrics, modules, endpoints, and the live
    /// reload of the configuration, which runs <see cref="LoadSettings"/> with <paramref name="arguments"/> again.
    /// </summary>
    /// <param name="settings">What <see cref="LoadSettings"/> read from <paramref name="arguments"/>.</param>
    /// <param name="arguments">Where the settings came from, and the standard ASP.NET Core host settings (<c>--environment=Staging</c>).</param>
    public static WebApplication Build(HyperspotSettings settings, IReadOnlyList<IModule> modules, HyperspotArguments arguments)
    {
        var ordered = ModuleOrder.Resolve(modules, settings.Modules);
        EnsureHomeDirectory(settings.Server);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. arguments.HostSettings(), NoContentRootWatch] });
        builder.Services.AddHyperspotOptions(settings);
        builder.AddHyperspotLogging(settings);
        RedactingLoggerFactory.Decorate(builder.Services);
        builder.AddHyperspotTracing(settings);
        builder.AddHyperspotMetrics(settings);
        builder.AddRequestIdForwarding(settings.Tracing.Http);
        builder.ConfigureServer(settings.Server);
        builder.AddModules(ordered, settings);
        builder.AddRequestPipeline();
        builder.Services.AddConfigurationReload(() => LoadSettings(arguments, modules), arguments.ConfigPath, settings);
        if (settings.Server.EnableDocs)
        {
            AddApiDescription(builder.Services);
        }

        var app = builder.Build();
        LogListening(app, settings.Server);
        if (app.Services.GetService<LoggingStartupWarning>() is { } warning)
        {
            app.Logger.LogWarning("{Warning}", warning.Message);
        }

        app.UseRequestPipeline(settings);
        app.MapModules(ordered);
        if (settings.Server.EnableDocs)
        {
            MapApiDescription(app);
        }

        return app;
    }

    // The API description's calls live in methods of their own, never inlined: compiling a method loads the assemblies
    // of everything it calls, so with docs off Microsoft.AspNetCore.OpenApi is not loaded at all.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddApiDescription(IServiceCollection services) => services.AddOpenApi();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MapApiDescription(WebApplication app) => app.MapOpenApi("/openapi.json").WithoutTracing();

    /// <summary>
    /// Kestrel listens on the explicit addresses of <see cref="ServerSettings.Listen"/>, never on a URL it would
    /// parse itself (it reads a host it cannot parse as every interface). Addresses from anywhere else are switched
    /// off: <c>urls</c> / <c>ASPNETCORE_URLS</c>, <c>http_ports</c>, <c>PreferHostingUrls</c> and the <c>Kestrel</c>
    /// configuration section (whose <c>Endpoints</c> could come from an unprefixed environment variable).
    /// </summary>
    private static void ConfigureServer(this WebApplicationBuilder builder, ServerSettings server)
    {
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.PreferHostingUrlsKey, "false");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Configure(new ConfigurationBuilder().Build(), reloadOnChange: false);
            kestrel.AddServerHeader = false;
            if (server.Listen.IsLocalhost && server.Port != 0)
            {
                // Both loopback addresses, tolerating a system without one of them (IPv6 off in a container).
                kestrel.ListenLocalhost(server.Port);
                return;
            }

            // A dynamic port (0) cannot be shared between addresses: localhost then listens on 127.0.0.1 only.
            var addresses = server.Listen.IsLocalhost ? [IPAddress.Loopback] : server.Listen.Addresses;
            foreach (var address in addresses)
            {
                kestrel.Listen(address, server.Port);
            }
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMilliseconds(server.ShutdownTimeoutMs));
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
    }

    /// <summary>Once listening, one line says where, and says so when that is every interface.</summary>
    private static void LogListening(WebApplication app, ServerSettings server)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses is not { Count: > 0 })
            {
                return; // an in-memory test server
            }

            var urls = string.Join(", ", addresses);
            if (server.Listen.AllInterfaces)
            {
                app.Logger.LogWarning("Server listening on all interfaces ({Urls}): server.host is {Host}, so other machines can reach it", urls, server.Listen.Configured);
            }
            else
            {
                app.Logger.LogInformation("Server listening on {Urls} (server.host {Host})", urls, server.Listen.Configured);
            }

            if (server.Listen.NotUsed.Count > 0)
            {
                app.Logger.LogInformation(
                    "server.host {Host} also resolves to {Others}; the server listens on {Address} only",
                    server.Listen.Configured, string.Join(", ", server.Listen.NotUsed), server.Listen.Addresses[0]);
            }
        });
    }

    private static void EnsureHomeDirectory(ServerSettings server)
    {
        try
        {
            Directory.CreateDirectory(server.HomeDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([$"server.home_dir: cannot create {server.HomeDir} ({ex.Message})"]);
        }
    }
}
