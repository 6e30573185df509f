using Hyperspot.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Configuration;

/// <summary>Everything the server was configured with, typed and validated.</summary>
public sealed class HyperspotSettings
{
    public static readonly IReadOnlyList<string> Sections = ["server", "tracing", "logging", "modules"];

    public ServerSettings Server { get; init; } = new();

    public TracingSettings Tracing { get; init; } = new();

    public LoggingSettings Logging { get; init; } = new();

    public ModulesSettings Modules { get; init; } = new();

    /// <summary>The effective configuration, secrets masked, for <c>--print-config</c>.</summary>
    public EffectiveConfiguration Effective { get; init; } = new();

    /// <summary>The layered configuration the settings were read from (modules bind their options from it).</summary>
    public IConfiguration Configuration { get; init; } = new ConfigurationBuilder().Build();

    /// <summary>Reads and validates every section; throws <see cref="ConfigurationException"/> listing every error.</summary>
    public static HyperspotSettings Read(IConfigurationRoot root, IReadOnlyCollection<IModule> modules, LogLevel? verbosity = null)
    {
        var reader = new SettingsReader(root);
        foreach (var (path, message) in root.Providers.OfType<AppVariablesSource.Provider>().SelectMany(p => p.Conflicts))
        {
            reader.Errors.Add(path, message);
        }

        foreach (var section in root.GetChildren())
        {
            if (!Sections.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                var suggestion = KeySuggestion.Closest(section.Key, Sections);
                reader.Errors.Add(reader.UnknownPath("", section.Path, section.Key), suggestion is null
                    ? $"unknown section (valid sections: {string.Join(", ", Sections)})"
                    : $"unknown section (did you mean '{suggestion}'?)");
            }
        }

        var server = ServerSettings.Read(reader.Section("server"));
        var settings = new HyperspotSettings
        {
            Server = server,
            Tracing = TracingSettings.Read(reader.Section("tracing")),
            Logging = LoggingSettings.Read(reader.Section("logging"), server, verbosity),
            Modules = ModulesSettings.Read(reader.Section("modules"), modules),
            Effective = reader.Effective,
            Configuration = root,
        };

        if (reader.Errors.Any)
        {
            throw new ConfigurationException(reader.Errors.All);
        }

        return settings;
    }
}
