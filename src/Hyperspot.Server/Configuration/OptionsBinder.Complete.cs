using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>After the library's binder: the lists, whole from one layer, and the free keys of an <see cref="OtherKeysAttribute"/> section.</summary>
public sealed partial class OptionsBinder
{
    private void Complete(object options, IConfigurationSection section, string path)
    {
        var type = options.GetType();
        foreach (var key in OptionsShape.KeysOf(type))
        {
            var child = section.GetSection(key.Key);
            var keyPath = Join(path, key.Key);
            if (key.Shape == ValueShape.List && LayeredList(child.Path, keyPath, key.ValueType) is { } items)
            {
                var list = new ConfigurationBuilder()
                    .AddInMemoryCollection(items.Select((item, index) => new KeyValuePair<string, string?>(index.ToString(CultureInfo.InvariantCulture), item)))
                    .Build();
                key.Property.SetValue(options, items.Count == 0 ? EmptyList(key.Property.PropertyType, key.ValueType) : list.Get(key.Property.PropertyType));
            }
            else if (key.Shape == ValueShape.Section && key.Property.GetValue(options) is { } nested)
            {
                Complete(nested, child, keyPath);
            }
        }

        if (OptionsShape.OtherKeysOf(type) is { } other)
        {
            var values = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), other.ValueType), StringComparer.OrdinalIgnoreCase)!;
            foreach (var child in section.GetChildren().Where(c => OptionsShape.Find(type, c.Key) is null && !_hidden.Contains(c.Path)))
            {
                var value = Activator.CreateInstance(other.ValueType)!;
                new FilteredSection(child, _hidden).Bind(value);
                Complete(value, child, Join(path, child.Key));
                values[child.Key] = value;
            }

            other.Property.SetValue(options, values);
        }
    }

    /// <summary>
    /// The list at <paramref name="configurationPath"/> as the highest layer that sets it has it, or null when no layer
    /// does. A shorter list in a later layer replaces an earlier one whole (the library merges them index by index), and a
    /// plain value is a comma-separated list (<c>APP__TRACING__HTTP__RECORD_HEADERS=user-agent,x-forwarded-for</c>).
    /// </summary>
    private List<string>? LayeredList(string configurationPath, string path, Type itemType)
    {
        foreach (var provider in Root.Providers.Reverse())
        {
            var indexes = provider.GetChildKeys([], configurationPath).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            List<string>? items = null;
            if (indexes.Count > 0)
            {
                items = [];
                foreach (var index in indexes.OrderBy(i => int.TryParse(i, out var n) ? n : int.MaxValue))
                {
                    if (!int.TryParse(index, out _))
                    {
                        Errors.Add(path, $"must be a list of values (found key '{ShownValue.EscapeControls(index)}')");
                    }
                    else if (provider.TryGet(ConfigurationPath.Combine(configurationPath, index), out var item) && item is not null)
                    {
                        items.Add(item);
                    }
                }
            }
            else if (provider.TryGet(configurationPath, out var scalar) && scalar is not null)
            {
                items = [.. scalar.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            }

            if (items is not null)
            {
                var refused = items.Where(item => !OptionsShape.Converts(item, itemType)).ToList();
                refused.ForEach(item => Errors.Add(path, OptionsShape.ConversionError(itemType, ShownValue.Of(path, item))));
                return refused.Count == 0 ? items : null;
            }
        }

        return null;
    }

    private static object EmptyList(Type listType, Type itemType) =>
        listType.IsArray || listType.IsInterface || listType.IsAbstract ? Array.CreateInstance(itemType, 0) : Activator.CreateInstance(listType)!;
}
