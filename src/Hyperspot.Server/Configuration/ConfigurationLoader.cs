using System.Collections;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Builds the product's configuration from its layers, later wins:
/// the YAML file &lt; standard <c>OTEL_*</c> variables (tracing only) &lt; <c>APP__</c> variables &lt; command-line flags.
/// Built-in defaults live in the typed settings, so a key missing from every layer takes its default.
/// </summary>
public static class ConfigurationLoader
{
    /// <param name="configPath">The YAML file, or null to run on defaults.</param>
    /// <param name="commandLineSettings">Settings given on the command line (<c>--tracing:enabled=true</c>, verbosity flags).</param>
    /// <param name="environment">The process environment (a parameter so tests need not change the real one).</param>
    public static IConfigurationRoot Load(
        string? configPath,
        IEnumerable<KeyValuePair<string, string?>> commandLineSettings,
        IDictionary environment)
    {
        var builder = new ConfigurationBuilder();
        if (configPath is not null)
        {
            var fullPath = Path.GetFullPath(configPath);
            EnsureReadable(configPath, fullPath);
            if (!HasContent(fullPath))
            {
                throw new ConfigurationException([$"config file {configPath}: is empty (write at least one section, e.g. 'server:', or run without --config for the defaults)"]);
            }

            EnsureOneDocument(configPath, fullPath);
            builder.AddYamlFile(fullPath, optional: false, reloadOnChange: false);
        }

        builder.Add(new OtelEnvironmentSource(environment));
        builder.Add(new AppVariablesSource(environment));
        builder.AddInMemoryCollection(LastPerKey(commandLineSettings));

        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or YamlException or InvalidCastException)
        {
            throw new ConfigurationException([DescribeYamlFailure(configPath ?? "", ex)]);
        }
    }

    /// <summary>
    /// The YAML provider reads only a file's first document, so a second one (after a <c>---</c> line) would be
    /// ignored without a word: that is an error naming the line it starts on. Malformed YAML is left to the provider,
    /// which reports it with its own message.
    /// </summary>
    private static void EnsureOneDocument(string shownPath, string fullPath)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = File.OpenText(fullPath);
            stream.Load(reader);
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            return; // YamlDotNet throws either for malformed text
        }

        var ignored = stream.Documents.Skip(1).FirstOrDefault(d => !IsEmptyDocument(d.RootNode));
        if (ignored is not null)
        {
            throw new ConfigurationException([$"config file {shownPath}:{ignored.RootNode.Start.Line}: a second YAML document starts here, and only the first is read; put every section in one document (remove the '---' line before it)"]);
        }
    }

    /// <summary>A document with nothing in it, or only YAML's null (<c>~</c>, <c>null</c>).</summary>
    private static bool IsEmptyDocument(YamlNode root) =>
        root is YamlScalarNode { Value: null or "" } or YamlScalarNode { Style: ScalarStyle.Plain, Value: "~" or "null" or "Null" or "NULL" };

    private static void EnsureReadable(string shownPath, string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            throw new ConfigurationException([$"config file {shownPath}: is a directory, not a file"]);
        }

        if (!File.Exists(fullPath))
        {
            throw new ConfigurationException([$"config file {shownPath}: not found (looked at {fullPath})"]);
        }

        try
        {
            using var stream = File.OpenRead(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([$"config file {shownPath}: cannot be read ({ex.Message})"]);
        }
    }

    private static bool HasContent(string path) =>
        File.ReadLines(path).Any(line => line.Trim() is { Length: > 0 } text && !text.StartsWith('#') && text != "---" && text != "...");

    private static string DescribeYamlFailure(string path, Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is YamlException yaml)
            {
                var reason = yaml.InnerException is YamlException deeper ? deeper.Message : yaml.Message;
                return $"config file {path}:{yaml.Start.Line}:{yaml.Start.Column}: malformed YAML: {OneLine(StripMarks(reason))}";
            }
        }

        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is InvalidCastException)
            {
                return $"config file {path}: the top level must be a mapping of sections (server:, tracing:, logging:, modules:)";
            }

            if (inner is FormatException format)
            {
                return $"config file {path}: {OneLine(format.Message)}";
            }
        }

        return $"config file {path}: cannot be parsed ({OneLine(ex.Message)})";
    }

    private static string StripMarks(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location is reported separately.
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && marker > 0 ? message[(marker + 3)..] : message;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>A key given twice on the command line takes its last value, as repeated options do.</summary>
    private static Dictionary<string, string?> LastPerKey(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var byKey = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            byKey[key] = value;
        }

        return byKey;
    }
}
