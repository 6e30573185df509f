using System.Collections;
using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Hosting;
using Microsoft.Extensions.Configuration;
using MyCompany.Greetings;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Docs.Tests.Support;

/// <summary>Loads configuration the way the server does: the real loader, the real settings, the real module order.</summary>
public static class DocConfig
{
    /// <summary>The shipped modules plus the module the guide shows how to write (its configuration is documented too).</summary>
    public static IReadOnlyList<IModule> Modules => [.. ShippedModules.All, new GreetingsModule()];

    /// <summary>Loads <paramref name="yaml"/> from a temporary file.</summary>
    public static HyperspotSettings LoadYaml(
        string yaml,
        IDictionary? environment = null,
        IEnumerable<KeyValuePair<string, string?>>? commandLine = null,
        IReadOnlyList<IModule>? modules = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hyperspot-docs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        try
        {
            return Load(path, environment, commandLine, modules);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Loads the file at <paramref name="path"/> (or the defaults when null) with the given layers above it.</summary>
    public static HyperspotSettings Load(
        string? path,
        IDictionary? environment = null,
        IEnumerable<KeyValuePair<string, string?>>? commandLine = null,
        IReadOnlyList<IModule>? modules = null)
    {
        modules ??= Modules;
        var root = ConfigurationLoader.Load(path, commandLine ?? [], environment ?? new Hashtable());
        var settings = HyperspotSettings.Read(root, modules);
        ModuleOrder.Resolve(modules, settings.Modules);
        return settings;
    }

    /// <summary>Every key and value of a YAML file, as the configuration sees it (comments and layout do not matter).</summary>
    public static IReadOnlyDictionary<string, string> Flatten(string path) =>
        ConfigurationLoader.Load(path, [], new Hashtable())
            .AsEnumerable()
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => kv.Value!);
}
