using System.Collections;
using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Support;

/// <summary>
/// Loads configuration in-process, the way the command line does, from a YAML text, an environment dictionary
/// (never the real environment) and command-line overrides.
/// </summary>
public static class Config
{
    public static HyperspotSettings Read(
        string? yaml,
        IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyDictionary<string, string>? overrides = null,
        IReadOnlyCollection<IModule>? modules = null)
    {
        using var directory = new TempDirectory("hyperspot-config-");
        var path = yaml is null ? null : directory.Write("config.yaml", yaml);
        var root = ConfigurationLoader.Load(path, Overrides(overrides), Environment(environment));
        return HyperspotSettings.Read(root, modules ?? ShippedModules.All);
    }

    /// <summary>The errors the configuration is rejected with; fails the test when it is accepted.</summary>
    public static IReadOnlyList<string> Errors(
        string? yaml,
        IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyDictionary<string, string>? overrides = null,
        IReadOnlyCollection<IModule>? modules = null)
    {
        var exception = Assert.Throws<ConfigurationException>(() => Read(yaml, environment, overrides, modules));
        Assert.NotEmpty(exception.Errors);
        return exception.Errors;
    }

    /// <summary>The one error the configuration is rejected with.</summary>
    public static string Error(string? yaml, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyDictionary<string, string>? overrides = null, IReadOnlyCollection<IModule>? modules = null) =>
        Assert.Single(Errors(yaml, environment, overrides, modules));

    public static IDictionary Environment(IReadOnlyDictionary<string, string>? variables) =>
        new Hashtable((variables ?? new Dictionary<string, string>()).ToDictionary(v => (object)v.Key, v => (object?)v.Value));

    public static IEnumerable<KeyValuePair<string, string?>> Overrides(IReadOnlyDictionary<string, string>? overrides) =>
        (overrides ?? new Dictionary<string, string>()).Select(o => new KeyValuePair<string, string?>(o.Key, o.Value));
}
