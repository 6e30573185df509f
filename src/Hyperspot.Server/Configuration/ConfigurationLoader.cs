using System.Collections;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;

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
    /// <remarks>
    /// Every layer is checked against <see cref="ConfigurationLimits"/> before it is parsed into configuration: the
    /// file is read once (<see cref="ConfigurationFile"/>) and walked once as a stream of events
    /// (<see cref="YamlStructureCheck"/>) before the YAML provider builds a tree from the same text.
    /// </remarks>
    public static IConfigurationRoot Load(
        string? configPath,
        IEnumerable<KeyValuePair<string, string?>> commandLineSettings,
        IDictionary environment)
    {
        var overrides = commandLineSettings.ToList();
        if (OverrideLimits.Check(environment, overrides) is { Count: > 0 } errors)
        {
            throw new ConfigurationException(errors);
        }

        var builder = new ConfigurationBuilder();
        if (configPath is not null)
        {
            var text = ConfigurationFile.ReadText(configPath);
            YamlStructureCheck.Run(configPath, text);
            builder.Add(new YamlTextSource(text));
        }

        builder.Add(new OtelEnvironmentSource(environment));
        builder.Add(new AppVariablesSource(environment));
        builder.Add(new CommandLineSource(overrides));

        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or YamlException or InvalidCastException)
        {
            throw new ConfigurationException([DescribeYamlFailure(configPath ?? "", ex)]);
        }
    }

    internal static string DescribeYamlFailure(string path, Exception ex)
    {
        path = ShownValue.EscapeControls(path);
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
}
