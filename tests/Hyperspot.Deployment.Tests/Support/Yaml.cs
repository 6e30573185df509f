using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Hyperspot.Deployment.Tests.Support;

/// <summary>Small helpers over the YamlDotNet representation model.</summary>
internal static class Yaml
{
    /// <summary>Parses a repository file that must hold exactly one YAML document whose root is a mapping.</summary>
    public static YamlMappingNode LoadMapping(string relativePath)
    {
        var text = Repo.ReadAllText(relativePath);
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            Assert.Fail($"'{relativePath}' is not valid YAML: {ex.Message}");
        }

        Assert.True(stream.Documents.Count == 1, $"'{relativePath}' must contain exactly one YAML document.");
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }

    public static YamlNode? Get(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static bool Has(this YamlMappingNode map, string key) => map.Children.ContainsKey(new YamlScalarNode(key));

    public static YamlMappingNode Map(this YamlMappingNode map, string key, string? context = null)
    {
        var node = map.Get(key);
        Assert.True(node is YamlMappingNode, $"Expected a mapping at '{Describe(context, key)}'.");
        return (YamlMappingNode)node!;
    }

    public static YamlSequenceNode Seq(this YamlMappingNode map, string key, string? context = null)
    {
        var node = map.Get(key);
        Assert.True(node is YamlSequenceNode, $"Expected a sequence at '{Describe(context, key)}'.");
        return (YamlSequenceNode)node!;
    }

    public static string Str(this YamlMappingNode map, string key, string? context = null)
    {
        var node = map.Get(key);
        Assert.True(node is YamlScalarNode { Value: not null }, $"Expected a scalar at '{Describe(context, key)}'.");
        return ((YamlScalarNode)node!).Value!;
    }

    public static string? OptStr(this YamlMappingNode map, string key) =>
        map.Get(key) is YamlScalarNode scalar ? scalar.Value : null;

    public static double Number(this YamlMappingNode map, string key, string? context = null)
    {
        var text = map.Str(key, context).Replace("_", string.Empty, StringComparison.Ordinal);
        Assert.True(
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value),
            $"Expected a number at '{Describe(context, key)}', found '{text}'.");
        return value;
    }

    /// <summary>Scalar items of a sequence (non-scalar items are reported as a failure).</summary>
    public static IReadOnlyList<string> Strings(this YamlSequenceNode seq, string context)
    {
        var result = new List<string>();
        foreach (var item in seq.Children)
        {
            Assert.True(item is YamlScalarNode { Value: not null }, $"Expected only scalars in '{context}'.");
            result.Add(((YamlScalarNode)item).Value!);
        }

        return result;
    }

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlMappingNode map)
    {
        foreach (var (key, value) in map.Children)
        {
            yield return (((YamlScalarNode)key).Value ?? string.Empty, value);
        }
    }

    /// <summary>True for YAML's boolean true spellings.</summary>
    public static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase)
                              || value.Equals("yes", StringComparison.OrdinalIgnoreCase)
                              || value.Equals("on", StringComparison.OrdinalIgnoreCase));

    private static string Describe(string? context, string key) => context is null ? key : $"{context}.{key}";
}
