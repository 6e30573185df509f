using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// How an enum member is written in the configuration: its canonical name (null: accepted only as an alias) and the
/// other spellings also accepted. Without it a member's name is its own name in snake_case (<c>OtlpGrpc</c> is <c>otlp_grpc</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ConfigNameAttribute(string? name, params string[] aliases) : Attribute
{
    public string? Name { get; } = name;

    public IReadOnlyList<string> Aliases { get; } = aliases;
}

/// <summary>
/// The type converter of the configuration's enums (<c>[TypeConverter(typeof(ConfigNames))]</c>): reads every accepted
/// spelling, case-insensitively, and writes the canonical one. The binder converts with it, and its names are the
/// only table of a setting's accepted values.
/// </summary>
public sealed class ConfigNames(Type type) : EnumConverter(type)
{
    /// <summary>The canonical names of <see cref="EnumConverter.EnumType"/>'s members, then their aliases.</summary>
    public IReadOnlyList<(string Name, Enum Value)> Canonical { get; } = Names(type, aliases: false);

    public IReadOnlyList<(string Name, Enum Value)> Aliases { get; } = Names(type, aliases: true);

    /// <summary>The accepted values as messages list them: <c>a, b; also c, d</c>.</summary>
    public string Accepted => string.Join(", ", Canonical.Select(n => n.Name))
        + (Aliases.Count == 0 ? "" : "; also " + string.Join(", ", Aliases.Select(n => n.Name)));

    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new FormatException($"unknown value '{text}'");

    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        var converter = For(typeof(T));
        var match = converter.Canonical.Concat(converter.Aliases).FirstOrDefault(n => n.Name.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
        value = match.Value is T found ? found : default;
        return match.Name is not null;
    }

    /// <summary>The canonical name of <paramref name="value"/> (<c>parentbased_ratio</c>).</summary>
    public static string NameOf(Enum value)
    {
        var converter = For(value.GetType());
        return converter.Canonical.Concat(converter.Aliases).First(n => n.Value.Equals(value)).Name;
    }

    public static ConfigNames For(Type type) =>
        TypeDescriptor.GetConverter(type) as ConfigNames ?? throw new InvalidOperationException($"{type.Name} has no [TypeConverter(typeof(ConfigNames))]");

    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        var text = ((string)value).Trim();
        var match = Canonical.Concat(Aliases).FirstOrDefault(n => n.Name.Equals(text, StringComparison.OrdinalIgnoreCase));
        return match.Name is not null ? match.Value : throw new FormatException($"unknown value (accepted: {Accepted})");
    }

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is Enum member ? NameOf(member) : base.ConvertTo(context, culture, value, destinationType);

    private static List<(string, Enum)> Names(Type type, bool aliases)
    {
        var names = new List<(string, Enum)>();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var value = (Enum)field.GetValue(null)!;
            var attribute = field.GetCustomAttribute<ConfigNameAttribute>();
            if (aliases)
            {
                names.AddRange((attribute?.Aliases ?? []).Select(alias => (alias, value)));
            }
            else if (attribute is null || attribute.Name is not null)
            {
                names.Add((attribute?.Name ?? SnakeCase(field.Name), value));
            }
        }

        return names;
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
