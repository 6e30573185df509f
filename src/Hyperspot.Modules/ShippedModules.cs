using Hyperspot.Modules.Examples;
using Hyperspot.Modules.Health;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules;

/// <summary>The modules that ship with the server, registered explicitly (no assembly scanning).</summary>
public static class ShippedModules
{
    public static IReadOnlyList<IModule> All => [new SystemModule(), new ExamplesModule()];
}
