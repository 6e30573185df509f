using System.Collections;
using System.ComponentModel;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The configuration as the server uses it, for <c>--print-config</c>: read from the bound options objects, each
/// section's keys in declaration order under their configuration names, secrets masked (a value under a secret key,
/// credentials in URLs). Empty maps are shown as <c>{}</c>, unset lists as <c>[]</c>, unset values not at all.
/// </summary>
public sealed class EffectiveConfiguration
{
    public EffectiveConfiguration(HyperspotSettings settings)
    {
        var modules = Node();
        foreach (var (name, module) in settings.Modules.ByName)
        {
            var entry = Tree(module, $"modules.{name}");
            if (module.Options is { } options)
            {
                entry["config"] = Tree(options, $"modules.{name}.config");
            }

            modules[name] = entry;
        }

        Root = new OrderedDictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["server"] = Tree(settings.Server, "server"),
            ["tracing"] = Tree(settings.Tracing, "tracing"),
            ["metrics"] = Tree(settings.Metrics, "metrics"),
            ["logging"] = Tree(settings.Logging, "logging"),
            ["modules"] = modules,
        };
    }

    /// <summary>Sections are <see cref="IReadOnlyDictionary{TKey,TValue}"/> nodes; values are strings, numbers, booleans and lists of strings.</summary>
    public IReadOnlyDictionary<string, object?> Root { get; }

    private static OrderedDictionary<string, object?> Tree(object options, string path)
    {
        var node = Node();
        foreach (var key in OptionsShape.KeysOf(options.GetType()))
        {
            var keyPath = path + "." + key.Key;
            var value = key.Property.GetValue(options);
            if (Value(value, key.Shape, keyPath) is { } shown)
            {
                node[key.Key] = shown;
            }
        }

        if (OptionsShape.OtherKeysOf(options.GetType()) is { Property: var other } && other.GetValue(options) is IDictionary entries)
        {
            foreach (DictionaryEntry entry in entries)
            {
                node[(string)entry.Key] = Tree(entry.Value!, path + "." + entry.Key);
            }
        }

        return node;
    }

    private static object? Value(object? value, ValueShape shape, string path) => (shape, value) switch
    {
        (ValueShape.List, null) => new List<string>(),
        (_, null) => null,
        (ValueShape.Section, _) => Tree(value, path),
        (ValueShape.Map, IDictionary entries) => MapNode(entries, path),
        (ValueShape.List, IEnumerable items) => items.Cast<object?>().Select(item => Mask(path, Text(item))).ToList(),
        (_, string text) => Mask(path, text),
        (_, int or long or double) when SecretRedactor.IsSecretLeaf(path) => SecretRedactor.Mask,
        (_, bool or int or long or double) => value,
        _ => Mask(path, Text(value)),
    };

    private static OrderedDictionary<string, object?> MapNode(IDictionary entries, string path)
    {
        var node = Node();
        foreach (DictionaryEntry entry in entries)
        {
            node[Text(entry.Key)] = Value(entry.Value, OptionsShape.ShapeOf(entry.Value?.GetType() ?? typeof(string), out _), $"{path}.{entry.Key}");
        }

        return node;
    }

    private static string Mask(string path, string text) =>
        SecretRedactor.IsSecretPath(path) && text.Length > 0 ? SecretRedactor.Mask : SecretRedactor.RedactUrlCredentialsInValue(text);

    private static string Text(object? value) =>
        value is null ? "" : TypeDescriptor.GetConverter(value.GetType()).ConvertToInvariantString(value) ?? "";

    private static OrderedDictionary<string, object?> Node() => new(StringComparer.OrdinalIgnoreCase);
}
