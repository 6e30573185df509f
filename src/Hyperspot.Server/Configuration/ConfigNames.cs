using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

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
    /// <summary>The canonical names of the enum's members, in declaration order.</summary>
    public IReadOnlyList<(string Name, Enum Value)> Canonical { get; } = Names(type, aliases: false);

    /// <summary>The other accepted spellings (<c>traceidratio</c>, <c>information</c>).</summary>
    public IReadOnlyList<(string Name, Enum Value)> Aliases { get; } = Names(type, aliases: true);

    /// <summary>The accepted values as messages list them: <c>a, b; also c, d</c>.</summary>
    public string Accepted => string.Join(", ", Canonical.Select(n => n.Name))
        + (Aliases.Count == 0 ? "" : "; also " + string.Join(", ", Aliases.Select(n => n.Name)));

    public static ConfigNames For(Type type) =>
        TypeDescriptor.GetConverter(type) as ConfigNames ?? throw new InvalidOperationException($"{type.Name} has no [TypeConverter(typeof(ConfigNames))]");

    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        value = For(typeof(T)).Find(text) is T found ? found : default;
        return For(typeof(T)).Find(text) is not null;
    }

    /// <summary>The canonical name of <paramref name="value"/> (<c>parentbased_ratio</c>), else its first alias.</summary>
    public static string NameOf(Enum value)
    {
        var names = For(value.GetType());
        return names.Canonical.Concat(names.Aliases).First(n => n.Value.Equals(value)).Name;
    }

    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        Find((string)value) ?? throw new FormatException($"unknown value (accepted: {Accepted})");

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is Enum member ? NameOf(member) : base.ConvertTo(context, culture, value, destinationType);

    private Enum? Find(string text) =>
        Canonical.Concat(Aliases).FirstOrDefault(n => n.Name.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)).Value;

    private static List<(string, Enum)> Names(Type type, bool aliases) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).SelectMany(field =>
        {
            var value = (Enum)field.GetValue(null)!;
            var attribute = field.GetCustomAttribute<ConfigNameAttribute>();
            IEnumerable<string> names = aliases ? attribute?.Aliases ?? []
                : attribute is null ? [JsonNamingPolicy.SnakeCaseLower.ConvertName(field.Name)]
                : attribute.Name is { } name ? [name] : [];
            return names.Select(name => (name, value));
        }).ToList();
}
