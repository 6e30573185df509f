using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>The walk before binding: the configuration against the options type's keys.</summary>
public sealed partial class OptionsBinder
{
    private void Check(IConfigurationSection section, string path, Type type, IReadOnlyCollection<string> handledElsewhere)
    {
        var other = OptionsShape.OtherKeysOf(type);
        foreach (var child in section.GetChildren())
        {
            if (OptionsShape.Find(type, child.Key) is { } key)
            {
                CheckValue(child, Join(path, key.Key), key.Shape, key.ValueType);
            }
            else if (other is { ValueType: var otherType } && !handledElsewhere.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                CheckValue(child, Join(path, child.Key), ValueShape.Section, otherType);
            }
        }

        if (other is null)
        {
            RejectUnknown(section, path, [.. OptionsShape.KeysOf(type).Select(k => k.Key).Concat(handledElsewhere).Order(StringComparer.Ordinal)]);
        }
    }

    /// <param name="inMap">The value of a free-form map's key (a header, a resource attribute).</param>
    private void CheckValue(IConfigurationSection value, string path, ValueShape shape, Type type, bool inMap = false)
    {
        switch (shape)
        {
            case ValueShape.Scalar when value.GetChildren().Any():
                Refuse(value, path, inMap ? "must be a plain value, not a section" : "must be a single value, not a section or list");
                break;
            case ValueShape.Scalar when value.Value is { Length: > 0 } raw && !OptionsShape.Converts(raw, type):
                Refuse(value, path, OptionsShape.ConversionError(type, ShownValue.Of(path, raw)));
                break;
            case ValueShape.Scalar when value.Value is "" && type != typeof(string):
                // An empty value is no value: the key keeps its default (for a string, "" is a value: it turns a feature off).
                _hidden.Add(value.Path);
                break;
            case ValueShape.List:
                // Taken whole from the highest layer that sets it, after binding (see CompleteLists).
                _hidden.Add(value.Path);
                break;
            case ValueShape.Map when IsSection(value, path):
                var entryShape = OptionsShape.ShapeOf(type, out var entryType);
                foreach (var entry in value.GetChildren())
                {
                    CheckValue(entry, path + "." + entry.Key, entryShape, entryType, inMap: true);
                }

                break;
            case ValueShape.Section when IsSection(value, path):
                Check(value, path, type, []);
                break;
        }
    }

    private void Refuse(IConfigurationSection value, string path, string message)
    {
        Errors.Add(path, message);
        _hidden.Add(value.Path);
        _refused.Add(path);
    }
}
