using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Hosting;

/// <summary>Builds the web application from validated settings: logging, tracing, modules, endpoints.</summary>
public static class HyperspotApplication
{
    public static WebApplication Build(HyperspotSettings settings, IReadOnlyList<IModule> modules, string[] hostArgs)
    {
        var ordered = ModuleOrder.Resolve(modules, settings.Modules);
        EnsureHomeDirectory(settings.Server);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs });
        builder.Services.AddSingleton(settings);
        builder.AddHyperspotLogging(settings);
        RedactingLoggerFactory.Decorate(builder.Services);
        builder.AddHyperspotTracing(settings);
        builder.ConfigureServer(settings.Server);
        builder.AddModules(ordered, settings);
        ProblemAnswers.Register(builder.Services);
        if (settings.Server.EnableDocs)
        {
            builder.Services.AddOpenApi();
        }

        var app = builder.Build();
        if (app.Services.GetService<LoggingStartupWarning>() is { } warning)
        {
            app.Logger.LogWarning("{Warning}", warning.Message);
        }

        app.UseHyperspotServerSpans();
        if (settings.Tracing.Http.InjectRequestIdHeader.Length > 0)
        {
            app.UseMiddleware<RequestIdMiddleware>(settings.Tracing.Http.InjectRequestIdHeader);
        }

        app.UseHyperspotRequestLog();
        ProblemAnswers.Use(app);
        app.MapModules(ordered);
        if (settings.Server.EnableDocs)
        {
            app.MapOpenApi("/openapi.json");
        }

        return app;
    }

    private static void ConfigureServer(this WebApplicationBuilder builder, ServerSettings server)
    {
        var host = server.Host.Contains(':') && !server.Host.StartsWith('[') ? $"[{server.Host}]" : server.Host;
        builder.WebHost.UseUrls($"http://{host}:{server.Port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMilliseconds(server.ShutdownTimeoutMs));
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
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
