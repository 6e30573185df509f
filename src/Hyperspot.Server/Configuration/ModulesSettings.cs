using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Hyperspot.Modules;
using Microsoft.Extensions.Configuration;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Redaction;

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
                foreach (var key in config.UnreadKeys())
                {
                    config.Errors.Add(config.UnknownKeyPath(key), $"unknown key (the {module.Name} module takes no configuration)");
                }
            }

            moduleSection.RejectUnknownKeys();
        }

        foreach (var unknown in section.UnreadKeys())
        {
            var suggestion = KeySuggestion.Closest(unknown, modules.Select(m => m.Name));
            section.Errors.Add(section.UnknownKeyPath(unknown), suggestion is null
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
        var errorsBefore = config.Errors.Count;
        foreach (var (key, property) in properties)
        {
            if (!IsScalar(property.PropertyType))
            {
                continue;
            }

            var child = config.Raw.GetSection(key);
            var path = config.PathOf(AsWritten(config, key));
            if (child.GetChildren().Any())
            {
                config.Errors.Add(path, "must be a single value, not a section or list");
            }
            else if (child.Value is { Length: > 0 } raw && !Converts(raw, property.PropertyType))
            {
                config.Errors.Add(path, $"must be {Describe(property.PropertyType)} (got '{SectionReader.Shown(path, raw)}')");
            }
        }

        if (config.Errors.Count > errorsBefore)
        {
            return options;
        }

        try
        {
            config.Raw.Bind(options);

            // The binder merges lists index by index across layers; the highest layer that sets a list replaces it whole.
            foreach (var (key, property) in properties.Where(p => IsList(p.Value.PropertyType)))
            {
                if (config.LayeredList(AsWritten(config, key)) is { } items)
                {
                    var list = new ConfigurationBuilder()
                        .AddInMemoryCollection(items.Select((item, index) => new KeyValuePair<string, string?>(index.ToString(CultureInfo.InvariantCulture), item)))
                        .Build();
                    property.SetValue(options, items.Count == 0 ? EmptyList(property.PropertyType) : list.Get(property.PropertyType));
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            config.Errors.Add(config.Path, SecretRedactor.RedactUrlCredentials((ex.InnerException ?? ex).Message.ReplaceLineEndings(" ")));
            return options;
        }

        if (config.Errors.Count > errorsBefore)
        {
            return options;
        }

        if (options is IValidatableModuleOptions validatable)
        {
            foreach (var (key, message) in validatable.Validate())
            {
                config.Errors.Add(config.PathOf(key), Redact(config, key, message));
            }
        }

        foreach (var (key, property) in properties)
        {
            config.Record(key, Printable(property.GetValue(options), property.PropertyType));
        }

        return options;
    }

    /// <summary>
    /// The option's key as the file spells it (errors name what the user wrote), else the property's key (also for
    /// a key from an <c>APP__</c> variable or a flag, whose spelling is upper case or arbitrary).
    /// </summary>
    private static string AsWritten(SectionReader config, string key)
    {
        var written = config.Raw.GetChildren().FirstOrDefault(c => c.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
        return written is null || written.Key == key || config.IsFromOverride(written.Path) ? key : written.Key;
    }

    /// <summary>A module's own message may quote the bad value: keep credentials and secret values out of it.</summary>
    private static string Redact(SectionReader config, string key, string message)
    {
        if (SecretRedactor.IsSecretPath(config.PathOf(key)) && config.Raw.GetSection(key).Value is { Length: > 0 } raw)
        {
            message = message.Replace(raw, SecretRedactor.Mask, StringComparison.Ordinal);
        }

        return SecretRedactor.RedactUrlCredentials(message).ReplaceLineEndings(" ");
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri)
            || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid);
    }

    /// <summary>Whether the binder can convert <paramref name="raw"/> to <paramref name="type"/> (it uses the same type converters).</summary>
    private static bool Converts(string raw, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return true;
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(raw);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
                || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ => $"a valid {type.Name}",
        };
    }

    private static bool IsList(Type type) =>
        type.IsArray
        || (type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string));

    private static object EmptyList(Type type) =>
        type.IsArray || type.IsInterface || type.IsAbstract
            ? Array.CreateInstance(type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0], 0)
            : Activator.CreateInstance(type)!;

    private static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    /// <summary>The option's value for <c>--print-config</c>; a list that is not set is an empty list (<c>[]</c>), not null.</summary>
    private static object? Printable(object? value, Type type) => value switch
    {
        null when IsList(type) => new List<string>(),
        null or string or bool or int or long or double => value,
        IEnumerable items => items.Cast<object?>().Select(i => i?.ToString() ?? "").ToList(),
        _ => value.ToString(),
    };
}
