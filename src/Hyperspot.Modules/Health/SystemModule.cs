using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Health;

/// <summary>
/// Health probes: <c>GET /health</c> (JSON: status, version, span export counts, metric export counts when metrics are
/// on, configuration generation and last reload) and <c>GET /healthz</c>
/// (plain <c>ok</c>). Neither is traced (<see cref="EndpointTracingExtensions.WithoutTracing{TBuilder}"/>).
/// </summary>
public sealed class SystemModule : IModule
{
    public static readonly string Version =
        typeof(SystemModule).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public string Name => "system";

    public void MapEndpoints(ModuleEndpointContext context)
    {
        context.Root.MapGet("/health", (HttpContext http, ITelemetryStatus telemetry) => Results.Json(new HealthReport(
                "ok",
                Version,
                new TracingHealth(telemetry.TracingEnabled, telemetry.SpansExported, telemetry.SpansDropped),
                MetricsHealth.Of(http.RequestServices.GetService<IMetricsStatus>()),
                http.RequestServices.GetService<IConfigurationStatus>() is { } config ? ConfigHealth.From(config) : null)))
            .WithName("health")
            .WithSummary("Health, version, span and metric export counts, and the configuration's last reload")
            .WithTags(Name)
            .WithoutTracing();
        context.Root.MapGet("/healthz", () => Results.Text("ok"))
            .WithName("healthz")
            .WithSummary("Liveness probe: plain 'ok'")
            .WithTags(Name)
            .WithoutTracing();
    }
}
