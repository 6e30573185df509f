using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Hyperspot.Docs.Tests.Support;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Docs.Tests;

/// <summary>
/// The variables and flags of the docs' shell examples (<c>APP__...=</c>, <c>OTEL_...=</c>, <c>--section:key=value</c>,
/// <c>--config FILE</c>) are applied through the real loader, and each has the effect the docs promise: the key it
/// names takes its value, unless a higher layer of the same example sets the same key
/// (defaults &lt; YAML &lt; OTEL_* &lt; APP__ &lt; command line).
/// </summary>
public sealed partial class ShellExampleTests
{
    private enum Layer
    {
        Otel,
        App,
        CommandLine,
    }

    private static readonly Lazy<(IReadOnlyList<ShellScenario> Scenarios, IReadOnlyList<string> Problems)> Parsed = new(ShellExamples.All);

    public static TheoryData<string> Scenarios() => [.. Parsed.Value.Scenarios.Select(s => s.ToString())];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Example_has_the_documented_effect(string name)
    {
        var scenario = Parsed.Value.Scenarios.Single(s => s.ToString() == name);
        var environment = new Hashtable();
        foreach (var (key, value) in scenario.Environment)
        {
            environment[key] = value;
        }

        var flags = scenario.Flags.Select(f => new KeyValuePair<string, string?>(f.Key, f.Value)).ToList();
        var config = scenario.ConfigFile is null ? null : Repo.PathOf(scenario.ConfigFile);
        if (config is not null)
        {
            Assert.True(File.Exists(config), $"{name}: {scenario.ConfigFile} does not exist");
        }

        if (scenario.RejectedWith is { } expected)
        {
            var ex = Assert.Throws<ConfigurationException>(() => { DocConfig.Load(config, environment, flags); });
            Assert.True(
                ex.Errors.Any(e => e.Contains(expected, StringComparison.Ordinal)),
                $"{name} says it is rejected with '{expected}', but the errors are:\n{string.Join("\n", ex.Errors)}");
            return;
        }

        HyperspotSettings settings;
        try
        {
            settings = DocConfig.Load(config, environment, flags);
        }
        catch (ConfigurationException ex)
        {
            Assert.Fail($"{name} does not start:\n{string.Join("\n", ex.Errors)}");
            return;
        }

        foreach (var (path, value) in Expectations(scenario))
        {
            var actual = Effective(settings, path);
            Assert.True(
                Matches(value, actual),
                $"{name}: expected {string.Join('.', path)} = '{value}', the server has '{Show(actual)}'");
        }
    }

    [Fact]
    public void Shell_examples_are_valid_shell_and_enough_of_them_are_checked()
    {
        var (scenarios, problems) = Parsed.Value;
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(scenarios.Count >= 15, $"only {scenarios.Count} server invocations found in the docs' bash blocks");
        Assert.True(scenarios.Count(s => s.Environment.Any(e => e.Key.StartsWith("APP__", StringComparison.Ordinal))) >= 4, "APP__ examples");
        Assert.True(scenarios.Count(s => s.Environment.Any(e => e.Key.StartsWith("OTEL_", StringComparison.Ordinal))) >= 2, "OTEL_ examples");
        Assert.True(scenarios.Count(s => s.Flags.Count > 0) >= 4, "command-line override examples");
    }

    [Fact]
    public void Layering_example_wins_as_the_guide_says()
    {
        var text = DocFiles.Text("docs/TRACING.md");
        var claim = LayeringClaim().Match(text);
        Assert.True(claim.Success, "docs/TRACING.md no longer spells out which layer wins in its layering example");
        var scenario = Parsed.Value.Scenarios.Single(s =>
            s.Environment.Any(e => e.Key == "OTEL_TRACES_SAMPLER_ARG") && s.Flags.Any(f => f.Key == "tracing:sampler:ratio"));

        double Ratio(bool flag, bool app, bool otel)
        {
            var environment = new Hashtable();
            foreach (var (key, value) in scenario.Environment)
            {
                if ((app || !key.StartsWith("APP__", StringComparison.Ordinal)) && (otel || !key.StartsWith("OTEL_", StringComparison.Ordinal)))
                {
                    environment[key] = value;
                }
            }

            var flags = flag ? scenario.Flags.Select(f => new KeyValuePair<string, string?>(f.Key, f.Value)).ToList() : [];
            return DocConfig.Load(Repo.PathOf(scenario.ConfigFile!), environment, flags).Tracing.Sampler.Ratio;
        }

        double Claimed(string group) => double.Parse(claim.Groups[group].Value, CultureInfo.InvariantCulture);
        Assert.Equal(Claimed("all"), Ratio(flag: true, app: true, otel: true));
        Assert.Equal(Claimed("noflag"), Ratio(flag: false, app: true, otel: true));
        Assert.Equal(Claimed("noapp"), Ratio(flag: false, app: false, otel: true));
        Assert.Equal(Claimed("file"), Ratio(flag: false, app: false, otel: false));
    }

    [GeneratedRegex(@"effective\s+ratio\s+is\s+(?<all>[\d.]+);\s+without\s+the\s+flag\s+it\s+would\s+be\s+(?<noflag>[\d.]+),\s+without\s+the\s+`APP__`\s+variable\s+too\s+(?<noapp>[\d.]+),\s+and\s+with\s+the\s+file\s+alone\s+(?<file>[\d.]+)")]
    private static partial Regex LayeringClaim();

    /// <summary>What each variable and flag of the scenario promises, the highest layer winning per key.</summary>
    private static IEnumerable<(string[] Path, string Value)> Expectations(ShellScenario scenario)
    {
        var winners = new Dictionary<string, (Layer Layer, string[] Path, string Value)>(StringComparer.OrdinalIgnoreCase);
        void Set(Layer layer, string[] path, string value)
        {
            var key = string.Join('.', path);
            if (!winners.TryGetValue(key, out var current) || current.Layer <= layer)
            {
                winners[key] = (layer, path, value);
            }
        }

        var environment = scenario.Environment.ToList();
        foreach (var (name, value) in environment.Where(e => e.Key.StartsWith("OTEL_", StringComparison.Ordinal)))
        {
            foreach (var (path, promised) in OtelEffect(name, value, environment))
            {
                Set(Layer.Otel, path, promised);
            }
        }

        foreach (var (name, value) in environment.Where(e => e.Key.StartsWith("APP__", StringComparison.OrdinalIgnoreCase)))
        {
            Set(Layer.App, name["APP__".Length..].Split("__"), value);
        }

        foreach (var (key, value) in scenario.Flags)
        {
            Set(Layer.CommandLine, key.Split(':'), value);
        }

        return winners.Values.Select(w => (w.Path, w.Value));
    }

    /// <summary>The keys the standard OpenTelemetry variables set, as docs/TRACING.md lists them.</summary>
    private static IEnumerable<(string[] Path, string Value)> OtelEffect(string name, string value, List<KeyValuePair<string, string>> environment)
    {
        switch (name)
        {
            case "OTEL_SDK_DISABLED" when value.Equals("true", StringComparison.OrdinalIgnoreCase):
                yield return (["tracing", "enabled"], "false");
                break;
            case "OTEL_SERVICE_NAME":
                yield return (["tracing", "service_name"], value);
                break;
            case "OTEL_EXPORTER_OTLP_ENDPOINT" when environment.Any(e => e is { Key: "OTEL_EXPORTER_OTLP_PROTOCOL", Value: "http/protobuf" }):
                // A base URL for every signal: OTLP/HTTP sends the spans to <endpoint>/v1/traces.
                yield return ([.. ExportUri], value.TrimEnd('/') + ExporterSettings.TracesPath);
                break;
            case "OTEL_EXPORTER_OTLP_ENDPOINT":
                yield return (["tracing", "exporter", "endpoint"], value);
                break;
            case "OTEL_EXPORTER_OTLP_PROTOCOL":
                yield return (["tracing", "exporter", "kind"], value switch { "grpc" => "otlp_grpc", "http/protobuf" => "otlp_http", _ => value });
                break;
            case "OTEL_EXPORTER_OTLP_TIMEOUT":
                yield return (["tracing", "exporter", "timeout_ms"], value);
                break;
            case "OTEL_TRACES_SAMPLER":
                yield return (["tracing", "sampler", "strategy"], value);
                break;
            case "OTEL_TRACES_SAMPLER_ARG":
                yield return (["tracing", "sampler", "ratio"], value);
                break;
            case "OTEL_EXPORTER_OTLP_HEADERS":
                foreach (var (key, item) in Pairs(value))
                {
                    yield return (["tracing", "exporter", "headers", key], item);
                }

                break;
            case "OTEL_RESOURCE_ATTRIBUTES":
                foreach (var (key, item) in Pairs(value))
                {
                    var serviceNameElsewhere = environment.Any(e => e.Key == "OTEL_SERVICE_NAME");
                    if (key == "service.name" && !serviceNameElsewhere)
                    {
                        yield return (["tracing", "service_name"], item);
                    }
                    else if (key != "service.name")
                    {
                        yield return (["tracing", "resource", key], item);
                    }
                }

                break;
            default:
                Assert.Fail($"the docs use {name}, which the configuration does not read");
                break;
        }
    }

    private static IEnumerable<(string Key, string Value)> Pairs(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => item.Split('=', 2))
            .Select(parts => (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1])));

    /// <summary>A pseudo path: the URL the exporter really sends spans to.</summary>
    private static readonly string[] ExportUri = ["tracing", "exporter", "(export url)"];

    /// <summary>The value the server will use for <paramref name="path"/>, as recorded for <c>--print-config</c>.</summary>
    private static object? Effective(HyperspotSettings settings, string[] path)
    {
        if (path.SequenceEqual(ExportUri))
        {
            return settings.Tracing.Exporter.ExportUri.ToString();
        }

        if (path.Length == 4 && string.Join('.', path[..3]).Equals("tracing.exporter.headers", StringComparison.OrdinalIgnoreCase))
        {
            return settings.Tracing.Exporter.Headers.GetValueOrDefault(path[3].ToLowerInvariant());
        }

        object? node = settings.Effective.Root;
        foreach (var segment in path)
        {
            node = node switch
            {
                IReadOnlyDictionary<string, object?> read => read.GetValueOrDefault(segment),
                IDictionary<string, object?> write => write.TryGetValue(segment, out var child) ? child : null,
                _ => null,
            };
        }

        return node;
    }

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["traceidratio"] = "ratio",
        ["parentbased_traceidratio"] = "parentbased_ratio",
        ["information"] = "info",
        ["warning"] = "warn",
        ["none"] = "off",
    };

    private static bool Matches(string expected, object? actual) => actual switch
    {
        null => false,
        bool flag => bool.TryParse(expected, out var parsed) && parsed == flag,
        int number => int.TryParse(expected, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed == number,
        double number => double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed == number,
        IEnumerable<string> items => items.SequenceEqual(
            expected.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            StringComparer.OrdinalIgnoreCase),
        string text when text == SecretRedactor.Mask => false, // a secret: Effective reads those from the typed settings
        string text => string.Equals(text, Aliases.GetValueOrDefault(expected, expected), StringComparison.OrdinalIgnoreCase)
            || string.Equals(text, expected, StringComparison.Ordinal),
        _ => string.Equals(actual.ToString(), expected, StringComparison.Ordinal),
    };

    private static string Show(object? value) => value switch
    {
        null => "(not set)",
        IEnumerable<string> items when value is not string => "[" + string.Join(", ", items) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
