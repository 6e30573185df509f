using Hyperspot.Server.Configuration;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Telemetry;

namespace Hyperspot.Server.Reload;

/// <summary>
/// What a reload changes in the running server: the sampler, the recorded headers and the log levels. A target is
/// null when the server does not have it (tracing off: no sampler, no recorded headers).
/// </summary>
public sealed class ReloadTargets(ReloadableSampler? sampler, HeaderRecorder? headers, LiveLogLevels? levels)
{
    /// <summary>New root spans, requests and log events from now on follow <paramref name="settings"/>.</summary>
    public void Apply(HyperspotSettings settings)
    {
        sampler?.Swap(SamplerFactory.Create(settings.Tracing.Sampler));
        headers?.Update(settings.Tracing.Http);
        levels?.Update(settings.Logging);
    }
}
