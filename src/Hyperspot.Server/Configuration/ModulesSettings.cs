using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Configuration;

/// <summary>The <c>modules</c> section: one entry per known module, with <c>enabled</c> and its bound <c>config</c>.</summary>
public sealed class ModulesSettings
{
    public IReadOnlyDictionary<string, ModuleSettings> ByName { get; init; } = new Dictionary<string, ModuleSettings>();

    public bool IsEnabled(string name) => !ByName.TryGetValue(name, out var module) || module.Enabled;

    /// <summary>Binds each module's section, its <c>config</c> to the module's <see cref="IModule.OptionsType"/>.</summary>
    public static ModulesSettings Read(OptionsBinder binder, IReadOnlyCollection<IModule> modules)
    {
        var byName = new Dictionary<string, ModuleSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var module in modules)
        {
            var path = $"modules.{module.Name}";
            var settings = (ModuleSettings)binder.Bind(typeof(ModuleSettings), path, handledElsewhere: ["config"]);
            if (module.OptionsType is { } type)
            {
                settings.Options = binder.Bind(type, path + ".config");
            }
            else
            {
                binder.RejectUnknown(path + ".config", [], $"unknown key (the {module.Name} module takes no configuration)");
            }

            byName[module.Name] = settings;
        }

        binder.RejectUnknown("modules", modules.Select(m => m.Name).ToList(), "unknown module", "known modules");
        return new ModulesSettings { ByName = byName };
    }
}
