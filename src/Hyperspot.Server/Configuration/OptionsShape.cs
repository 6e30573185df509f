using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>What a key holds: one value, a list of values, a map of free keys to values, or a section of known keys.</summary>
internal enum ValueShape
{
    Scalar,
    List,
    Map,
    Section,
}

/// <summary>
/// Marks the property that collects the keys of a section that are not its own (the <c>logging</c> section's log
/// categories): each is bound to the property's dictionary value type. Its setter is not public, so the library's
/// binder leaves it alone.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OtherKeysAttribute : Attribute;

/// <summary>One key of an options type: the property bound to it, its shape, and the type of its value (or items).</summary>
internal sealed record OptionKey(string Key, PropertyInfo Property, ValueShape Shape, Type ValueType);

/// <summary>
/// The keys of an options type, as the library's binder sees them: its public properties with a public setter, named
/// by <see cref="ConfigurationKeyNameAttribute"/> or their own name, in declaration order.
/// </summary>
internal static class OptionsShape
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<OptionKey>> Keys = new();

    public static IReadOnlyList<OptionKey> KeysOf(Type type) => Keys.GetOrAdd(type, static type =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .Select(p => new OptionKey(KeyOf(p), p, ShapeOf(p.PropertyType, out var valueType), valueType))
            .ToList());

    public static OptionKey? Find(Type type, string key) =>
        KeysOf(type).FirstOrDefault(k => k.Key.Equals(key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The <see cref="OtherKeysAttribute"/> property of <paramref name="type"/> and the type of its values, if any.</summary>
    public static (PropertyInfo Property, Type ValueType)? OtherKeysOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => p.IsDefined(typeof(OtherKeysAttribute))) is { } property
            ? (property, property.PropertyType.GetGenericArguments()[^1])
            : null;

    public static ValueShape ShapeOf(Type type, out Type valueType)
    {
        valueType = Nullable.GetUnderlyingType(type) ?? type;
        if (valueType == typeof(string) || TypeDescriptor.GetConverter(valueType).CanConvertFrom(typeof(string)))
        {
            return ValueShape.Scalar;
        }

        if (valueType.IsArray)
        {
            valueType = valueType.GetElementType()!;
            return ValueShape.List;
        }

        var generic = new[] { valueType }.Concat(valueType.GetInterfaces()).Where(i => i.IsGenericType).Select(i => (Definition: i.GetGenericTypeDefinition(), Arguments: i.GetGenericArguments())).ToList();
        if (generic.FirstOrDefault(i => i.Definition == typeof(IDictionary<,>) || i.Definition == typeof(IReadOnlyDictionary<,>)) is { Arguments: { } map })
        {
            valueType = map[1];
            return ValueShape.Map;
        }

        if (generic.FirstOrDefault(i => i.Definition == typeof(IEnumerable<>)) is { Arguments: { } list })
        {
            valueType = list[0];
            return ValueShape.List;
        }

        return ValueShape.Section;
    }

    /// <summary>The message for a value (<paramref name="shown"/> as it may be shown) that the converter of <paramref name="type"/> refuses.</summary>
    public static string ConversionError(Type type, string shown)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when TypeDescriptor.GetConverter(type) is ConfigNames names => $"unknown value '{shown}' (accepted: {names.Accepted})",
            _ when type == typeof(bool) => $"must be true or false (got '{shown}')",
            { IsEnum: true } => $"unknown value '{shown}' (accepted: {string.Join(", ", Enum.GetNames(type))})",
            _ when Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.UInt64 => $"must be a whole number (got '{shown}')",
            _ when Type.GetTypeCode(type) is TypeCode.Single or TypeCode.Double or TypeCode.Decimal => $"must be a number (got '{shown}')",
            _ => $"must be a valid {type.Name} (got '{shown}')",
        };
    }

    /// <summary>Whether the binder can convert <paramref name="raw"/> to <paramref name="type"/>: it uses the same type converter.</summary>
    public static bool Converts(string raw, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return true;
        }

        // The integer converters also read "0x1F" and "#1F" as hexadecimal; a configured number is decimal.
        if (type.IsPrimitive && type != typeof(bool) && type != typeof(char) && raw.AsSpan().Trim() is [_, 'x' or 'X', ..] or ['#', ..])
        {
            return false;
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

    private static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name.ToLowerInvariant();
}
