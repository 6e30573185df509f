using System.Diagnostics;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// The telemetry of module <typeparamref name="TModule"/>: its ActivitySource, named
/// <c>Hyperspot.Modules.&lt;name&gt;</c>, which the host's tracer provider listens to when <c>tracing.enabled</c> is
/// true (otherwise <c>StartActivity</c> returns null; the <see cref="SpanOutcome"/> helpers accept that). The host
/// registers one per enabled module as a singleton: inject <c>ModuleTelemetry&lt;MyModule&gt;</c> into endpoints
/// and services.
/// </summary>
public sealed class ModuleTelemetry<TModule> : IDisposable
    where TModule : IModule
{
    public ModuleTelemetry(TModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        Source = ModuleActivitySource.Create(module.Name);
    }

    /// <summary>The module's ActivitySource, <c>Hyperspot.Modules.&lt;name&gt;</c>.</summary>
    public ActivitySource Source { get; }

    public void Dispose() => Source.Dispose();
}
