using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// Names of the modules' ActivitySources and Meters (<see cref="ModuleTelemetry{TModule}.Source"/>,
/// <see cref="ModuleTelemetry{TModule}.Meter"/>): the host's tracer and meter providers listen to every source and
/// meter under <see cref="Prefix"/>.
/// </summary>
public static class ModuleActivitySource
{
    public const string Prefix = "Hyperspot.Modules.";

    /// <summary>The ActivitySource name of module <paramref name="moduleName"/>: <c>Hyperspot.Modules.&lt;name&gt;</c>.</summary>
    public static string NameFor(string moduleName) => Prefix + moduleName;

    internal static ActivitySource Create(string moduleName) => new(NameFor(moduleName), Version);

    internal static Meter CreateMeter(string moduleName) => new(NameFor(moduleName), Version);

    private static string? Version => typeof(ModuleActivitySource).Assembly.GetName().Version?.ToString();
}
