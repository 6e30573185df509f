using System.Diagnostics;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>Names of the ActivitySources the host creates for modules and registers with the tracer provider.</summary>
public static class ModuleActivitySource
{
    public const string Prefix = "Hyperspot.Modules.";

    /// <summary>The ActivitySource name of module <paramref name="moduleName"/>: <c>Hyperspot.Modules.&lt;name&gt;</c>.</summary>
    public static string NameFor(string moduleName) => Prefix + moduleName;

    public static ActivitySource Create(string moduleName) => new(NameFor(moduleName), typeof(ModuleActivitySource).Assembly.GetName().Version?.ToString());
}
