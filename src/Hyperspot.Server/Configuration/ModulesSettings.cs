using System.Collections;
using System.Reflection;
using Hyperspot.Modules;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>The <c>modules</c> section: one entry per known module, with <c>enabled</c> and its bound <c>config</c>.</summary>
public sealed class ModulesSettings
{
    public IReadOnlyDictionary<string, ModuleSettings> ByName { get; init; } = new Dictionary<string, ModuleSettings>();

    public bool IsEnabled(string name) => !ByName.TryGetValue(name, out var module) || module.Enabled;

    public static ModulesSettings Read(SectionReader section, IReadOnlyCollection<IModule> modules)
    {
        var byName = new Dictionary<string, ModuleSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var module in modules)
        {
            var moduleSection = section.Section(module.Name);
            var enabled = moduleSection.Bool("enabled", true);
            var config = moduleSection.Section("config");
            byName[module.Name] = new ModuleSettings
            {
                Enabled = enabled,
                Options = module.OptionsType is { } type ? BindOptions(config, type) : null,
                Config = config.Raw,
            };
            if (module.OptionsType is null)
            {
                config.RejectUnknownKeys();
            }

            moduleSection.RejectUnknownKeys();
        }

        foreach (var unknown in section.UnreadKeys())
        {
            var suggestion = KeySuggestion.Closest(unknown, modules.Select(m => m.Name));
            section.Errors.Add(section.PathOf(unknown), suggestion is null
                ? $"unknown module (known modules: {string.Join(", ", modules.Select(m => m.Name))})"
                : $"unknown module (did you mean '{suggestion}'?)");
        }

        return new ModulesSettings { ByName = byName };
    }

    private static object? BindOptions(SectionReader config, Type type)
    {
        var options = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"{type.Name} needs a public parameterless constructor.");
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(KeyOf, StringComparer.OrdinalIgnoreCase);
        foreach (var key in properties.Keys)
        {
            config.Accept(key);
        }

        config.RejectUnknownKeys();
        try
        {
            config.Raw.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            config.Errors.Add(config.Path, (ex.InnerException ?? ex).Message.ReplaceLineEndings(" "));
            return options;
        }

        if (options is IValidatableModuleOptions validatable)
        {
            foreach (var (key, message) in validatable.Validate())
            {
                config.Errors.Add(config.PathOf(key), message);
            }
        }

        foreach (var (key, property) in properties)
        {
            config.Record(key, Printable(property.GetValue(options)));
        }

        return options;
    }

    private static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private static object? Printable(object? value) => value switch
    {
        null or string or bool or int or long or double => value,
        IEnumerable items => items.Cast<object?>().Select(i => i?.ToString() ?? "").ToList(),
        _ => value.ToString(),
    };
}
