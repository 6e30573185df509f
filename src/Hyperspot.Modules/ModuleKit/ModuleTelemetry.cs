using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// The telemetry of module <typeparamref name="TModule"/>: its ActivitySource and its Meter, both named
/// <c>Hyperspot.Modules.&lt;name&gt;</c>. The host's tracer provider listens to the source when <c>tracing.enabled</c>
/// is true (otherwise <c>StartActivity</c> returns null; the <see cref="SpanOutcome"/> helpers accept that), its meter
/// provider to the meter when <c>metrics.enabled</c> is true (otherwise recording costs next to nothing and nothing is
/// sent). The host registers one per enabled module as a singleton: inject <c>ModuleTelemetry&lt;MyModule&gt;</c> into
/// endpoints and services.
/// </summary>
public sealed class ModuleTelemetry<TModule> : IDisposable
    where TModule : IModule
{
    public ModuleTelemetry(TModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        Source = ModuleActivitySource.Create(module.Name);
        Meter = ModuleActivitySource.CreateMeter(module.Name);
    }

    /// <summary>The module's ActivitySource, <c>Hyperspot.Modules.&lt;name&gt;</c>.</summary>
    public ActivitySource Source { get; }

    /// <summary>
    /// The module's Meter, <c>Hyperspot.Modules.&lt;name&gt;</c>: create its instruments once (in a singleton), record
    /// durations in seconds with the semantic conventions' names where one fits.
    /// </summary>
    public Meter Meter { get; }

    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
    }
}
