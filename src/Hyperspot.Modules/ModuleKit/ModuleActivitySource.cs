using System.Diagnostics;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// Names of the modules' ActivitySources (<see cref="ModuleTelemetry{TModule}.Source"/>): the host's tracer provider
/// listens to every source under <see cref="Prefix"/>.
/// </summary>
public static class ModuleActivitySource
{
    public const string Prefix = "Hyperspot.Modules.";

    /// <summary>The ActivitySource name of module <paramref name="moduleName"/>: <c>Hyperspot.Modules.&lt;name&gt;</c>.</summary>
    public static string NameFor(string moduleName) => Prefix + moduleName;

    internal static ActivitySource Create(string moduleName) => new(NameFor(moduleName), typeof(ModuleActivitySource).Assembly.GetName().Version?.ToString());
}
