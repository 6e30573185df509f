using Hyperspot.Server.Configuration;
using OpenTelemetry.Resources;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// The resource every exported span carries: <c>service.name</c>, a <c>service.instance.id</c> per process,
/// <c>telemetry.sdk.*</c>, and every attribute of <c>tracing.resource</c>. Built explicitly, so the layering of
/// <c>OTEL_SERVICE_NAME</c>/<c>OTEL_RESOURCE_ATTRIBUTES</c> under <c>APP__</c> variables is ours, not the SDK's.
/// </summary>
public static class TracingResource
{
    public static ResourceBuilder Create(TracingSettings settings) =>
        ResourceBuilder.CreateEmpty()
            .AddService(settings.ServiceName, autoGenerateServiceInstanceId: !settings.Resource.ContainsKey("service.instance.id"))
            .AddTelemetrySdk()
            .AddAttributes(settings.Resource
                .Where(a => a.Key != "service.name")
                .Select(a => new KeyValuePair<string, object>(a.Key, a.Value)));
}
