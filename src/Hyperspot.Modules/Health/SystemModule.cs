using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Health;

/// <summary>
/// Health probes: <c>GET /health</c> (JSON: status, version, span export counts, and metric export counts when metrics are on) and <c>GET /healthz</c>
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
        context.Root.MapGet("/health", (ITelemetryStatus telemetry, IServiceProvider services) => Results.Json(new HealthReport(
                "ok",
                Version,
                new TracingHealth(telemetry.TracingEnabled, telemetry.SpansExported, telemetry.SpansDropped),
                MetricsHealth.Of(services.GetService(typeof(IMetricsStatus)) as IMetricsStatus))))
            .WithName("health")
            .WithSummary("Health, version and span export counts")
            .WithTags(Name)
            .WithoutTracing();
        context.Root.MapGet("/healthz", () => Results.Text("ok"))
            .WithName("healthz")
            .WithSummary("Liveness probe: plain 'ok'")
            .WithTags(Name)
            .WithoutTracing();
    }
}
