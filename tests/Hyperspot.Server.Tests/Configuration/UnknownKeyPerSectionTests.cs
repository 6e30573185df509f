using Hyperspot.Modules;
using Hyperspot.Server.Cli;
using Hyperspot.Server.Tests.Support;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary>
/// An unknown key is refused in every section of the configuration: <c>check</c> exits 2 with one error naming the key
/// by its full path and the valid key it was probably meant to be. The sections are not listed by hand: they are
/// every section of the effective configuration (what <c>--print-config</c> shows, read from the bound options
/// objects), so a section added to the settings is covered without touching this test. Not covered, by design:
/// the free-form maps (<c>tracing.resource</c>, <c>tracing.exporter.headers</c>: any key is a value) and the keys
/// directly under <c>logging</c> (any key other than <c>default</c> and <c>otlp</c> is a log category).
/// </summary>
public sealed class UnknownKeyPerSectionTests : IDisposable
{
    /// <summary>A log category, so that a category section is among the sections found.</summary>
    private const string Category = "Hyperspot";

    private readonly TempDirectory _directory = new("hyperspot-unknown-");

    public void Dispose() => _directory.Dispose();

    /// <summary>One row per section: its path (dot-separated), the misspelled key written in it, and the error expected.</summary>
    public static TheoryData<string, string, string> Sections()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (path, keys) in SectionsOfTheEffectiveConfiguration())
        {
            var key = keys[0];
            var misspelled = key + key[^1];
            Assert.DoesNotContain(misspelled, keys, StringComparer.OrdinalIgnoreCase);
            var at = path.Length == 0 ? misspelled : $"{path}.{misspelled}";
            var what = path switch
            {
                "" => "unknown section",
                "modules" => "unknown module",
                _ => "unknown key",
            };
            data.Add(path, misspelled, $"error: {at}: {what} (did you mean '{key}'?)");
        }

        // A module that takes no configuration has no config section to find; it refuses every key in one all the same.
        foreach (var module in ShippedModules.All.Where(m => m.OptionsType is null))
        {
            data.Add($"modules.{module.Name}.config", "anything", $"error: modules.{module.Name}.config.anything: unknown key (the {module.Name} module takes no configuration)");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task An_unknown_key_in_the_section_is_exit_2_naming_it_and_the_key_it_was_meant_to_be(string section, string key, string error)
    {
        var segments = section.Length == 0 ? [] : section.Split('.');
        var path = _directory.Write($"config-{Guid.NewGuid():N}.yaml", Nested([.. segments, key], "1"));
        var output = new StringWriter();
        var errors = new StringWriter();

        var exitCode = await new ServerCommandLine(ShippedModules.All, output, errors).InvokeAsync(["check", "--config", path]);

        Assert.Equal(2, exitCode);
        Assert.Equal(error, errors.ToString().Trim());
    }

    [Fact]
    public void The_sections_found_include_every_documented_one()
    {
        var found = SectionsOfTheEffectiveConfiguration().Select(s => s.Path).ToList();

        Assert.Superset(
            new HashSet<string>
            {
                "", "server", "tracing", "tracing.exporter", "tracing.sampler", "tracing.propagation", "tracing.http", "tracing.batch",
                "logging.default", "logging.otlp", $"logging.{Category}", "modules", "modules.system", "modules.examples", "modules.examples.config",
            },
            found.ToHashSet());
        Assert.DoesNotContain("logging", found);
        Assert.DoesNotContain("tracing.resource", found);
        Assert.DoesNotContain("tracing.exporter.headers", found);
    }

    /// <summary>
    /// Every section of the effective configuration of a file that sets nothing but a log category, with the keys it
    /// holds in documented order: the root, then every node holding keys. Empty nodes are the free-form maps; the keys
    /// under <c>logging</c> are categories.
    /// </summary>
    private static List<(string Path, List<string> Keys)> SectionsOfTheEffectiveConfiguration()
    {
        var settings = Config.Read($"logging:\n  {Category}:\n    console_level: warn\n");
        var sections = new List<(string, List<string>)>();
        void Walk(string path, IReadOnlyDictionary<string, object?> node)
        {
            var keys = node.Keys.ToList();
            if (keys.Count == 0)
            {
                return;
            }

            if (path != "logging")
            {
                sections.Add((path, keys));
            }

            foreach (var key in keys)
            {
                if (node[key] is IReadOnlyDictionary<string, object?> child)
                {
                    Walk(path.Length == 0 ? key : $"{path}.{key}", child);
                }
            }
        }

        Walk("", settings.Effective.Root);
        return sections;
    }

    /// <summary>YAML setting <paramref name="value"/> at the nested <paramref name="segments"/>.</summary>
    private static string Nested(IReadOnlyList<string> segments, string value) =>
        string.Concat(segments.Select((s, depth) => new string(' ', depth * 2) + s + (depth == segments.Count - 1 ? $": {value}\n" : ":\n")));
}
