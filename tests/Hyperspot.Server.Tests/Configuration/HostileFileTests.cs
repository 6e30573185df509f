using System.Diagnostics;
using System.Text;
using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary>
/// Configuration files built to hurt the loader (aliases that loop or explode, nesting, size, encodings, YAML
/// features that would be misread): each one is refused with one line naming the file, where it is and the limit,
/// and loading finishes well within a deadline instead of hanging, overflowing the stack or filling memory.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    /// <summary>Far above what any case takes; only there so that a regression fails instead of hanging the run.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new("hyperspot-hostile-");

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string, string> Cases => new()
    {
        // aliases
        { "a sequence that contains itself", "a: &a [*a]\n", "config.yaml:1:8: the alias *a is inside the node it names (a recursive alias)" },
        { "a mapping that contains itself", "server: &s\n  x: *s\n", "config.yaml:2:6: the alias *s is inside the node it names" },
        { "billion laughs", Laughs(), "aliases expand the file to more than 100,000 keys and list items (the limit)" },
        { "many aliases", "tracing:\n  service_name: &n x\n  resource:\n" + Lines(1_001, i => $"    k{i}: *n"), "config.yaml:1004:12: more than 1,000 aliases (the limit)" },
        { "aliases of a long value", "tracing:\n  service_name: &v " + new string('x', 60_000) + "\n  resource:\n" + Lines(80, i => $"    k{i}: *v"), "aliases expand the keys and values to more than 4,194,304 characters (the limit)" },
        { "an alias before its anchor", "server:\n  port: *later\n  host: &later x\n", "config.yaml:2:9: malformed YAML: the alias *later names no anchor defined before it" },
        { "an alias of a mapping as a key", "base: &b {a: 1}\nserver:\n  *b : 1\n", "a key must be a plain value, not a mapping or a list" },
        // depth
        { "deep flow sequences", "a: " + new string('[', 100_000) + new string(']', 100_000) + "\n", "config.yaml:1:35: nested deeper than 32 levels (the limit)" },
        { "deep flow mappings", "a: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "1" + new string('}', 100_000) + "\n", "nested deeper than 32 levels (the limit)" },
        { "deep block mappings", string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', i) + "k:\n")) + new string(' ', 200) + "k: 1\n", "config.yaml:33:33: nested deeper than 32 levels (the limit)" },
        { "deep block sequences", "a:\n" + string.Concat(Enumerable.Range(1, 200).Select(i => new string(' ', 2 * i) + "-\n")) + new string(' ', 402) + "- 1\n", "nested deeper than 32 levels (the limit)" },
        { "depth reached through an alias", "base: &d " + new string('[', 20) + new string(']', 20) + "\nserver:\n  x: " + new string('[', 15) + "*d" + new string(']', 15) + "\n", "nested deeper than 32 levels (the limit) once the alias *d is expanded" },
        // size of keys and values
        { "too many keys", "tracing:\n  resource:\n" + Lines(100_001, i => $"    k{i}: v"), "more than 100,000 keys and list items (the limit)" },
        { "a huge key", "tracing:\n  resource:\n    ? " + new string('k', 2_000) + "\n    : v\n", "config.yaml:3:7: a key of 2,000 characters: the limit is 1,024" },
        { "a huge value", "tracing:\n  service_name: " + new string('v', 70_000) + "\n", "config.yaml:2:17: a value of 70,000 characters: the limit is 65,536" },
        // YAML features that would be misread
        { "a merge key", "base: &b\n  port: 1\nserver:\n  <<: *b\n", "config.yaml:4:3: merge keys ('<<') are not supported; write the keys out" },
        { "a custom tag", "server:\n  host: !env HOST\n", "config.yaml:2:9: the tag '!env' is not supported" },
        { "a binary tag", "server:\n  host: !!binary aGVsbG8=\n", "the tag 'tag:yaml.org,2002:binary' is not supported" },
        { "a mapping as a key", "server:\n  ? [a, b]\n  : 1\n", "config.yaml:2:5: a key must be a plain value, not a mapping or a list" },
        { "a key with a colon", "\"server:port\": 1\n", "the key 'server:port' contains ':', which separates levels" },
        { "a key twice in different case", "server:\n  port: 1\n  PORT: 2\n", "config.yaml:3:3: malformed YAML: duplicate key 'PORT' (keys are case-insensitive)" },
        { "an empty key", "server:\n  \"\": 1\n", "a key must not be empty" },
        { "a control character in a key", "server:\n  \"po\\u001Brt\": 1\n", "contains a control character" },
        { "a million empty documents", "server:\n  port: 1\n" + string.Concat(Enumerable.Repeat("---\n", 1_000_000)), "config.yaml:102:1: more than 100 YAML documents (the limit)" },
        { "a root sequence after a comment", "# list\n- a\n", "the top level must be a mapping" },
        { "only a null document", "~\n", "is empty" },
        { "broken text the parser cannot go on from", "a: {x\nb: 1\n", "config.yaml:1:4: malformed YAML: cannot be read after this point" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_file_is_refused_naming_the_file_and_the_limit(string name, string yaml, string expected)
    {
        var path = _directory.Write("config.yaml", yaml);

        var errors = await ErrorsOf(path);

        var error = Assert.Single(errors);
        Assert.True(error.Contains(expected, StringComparison.Ordinal), $"{name}: {error}");
        Assert.StartsWith("config file " + path, error);
        Assert.True(error.Length < 400, $"{name}: a message of {error.Length} characters");
    }

    public static TheoryData<string, byte[], string> Encodings => new()
    {
        { "UTF-16 LE with its mark", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("server:\n  port: 1\n")], "is UTF-16 or UTF-32 encoded" },
        { "UTF-16 BE with its mark", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("server:\n  port: 1\n")], "is UTF-16 or UTF-32 encoded" },
        { "UTF-32 BE with its mark", [0, 0, 0xFE, 0xFF, 0, 0, 0, (byte)'s'], "is UTF-16 or UTF-32 encoded" },
        { "UTF-16 without a mark", Encoding.Unicode.GetBytes("server:\n  port: 1\n"), "config.yaml:1:2: contains the control character U+0000" },
        { "a NUL byte", "server:\n  port: 1\0\n"u8.ToArray(), "config.yaml:2:10: contains the control character U+0000" },
        { "an escape character", "server:\n  host: \u001B[31mred\n"u8.ToArray(), "config.yaml:2:9: contains the control character U+001B" },
        { "a C1 control character", Encoding.UTF8.GetBytes("server:\n  host: a\u009Bb\n"), "contains the control character U+009B" },
        { "invalid UTF-8 on line 3", [.. "server:\n  port: 1\n  host: \""u8, 0xFF, 0xFE, .. "\"\n"u8], "config.yaml:3:10: is not valid UTF-8 (byte 0xFF)" },
        { "Latin-1 text", Encoding.Latin1.GetBytes("tracing:\n  service_name: caf\u00E9\n"), "config.yaml:2:20: is not valid UTF-8 (byte 0xE9)" },
        { "a truncated UTF-8 sequence", [.. "server:\n  host: a"u8, 0xE2, 0x82], "config.yaml:2:10: is not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task A_file_that_is_not_clean_utf8_is_refused_naming_the_line(string name, byte[] content, string expected)
    {
        var path = _directory.Combine("config.yaml");
        await File.WriteAllBytesAsync(path, content);

        var error = Assert.Single(await ErrorsOf(path));

        Assert.True(error.Contains(expected, StringComparison.Ordinal), $"{name}: {error}");
        Assert.DoesNotContain('\uFFFD', error);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_allowed()
    {
        var path = _directory.Combine("config.yaml");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "server:\n  port: 9444\n"u8]);

        Assert.Equal(9444, HyperspotSettings.Read(ConfigurationLoader.Load(path, [], Config.Environment(null)), ShippedModules.All).Server.Port);
    }

    [Fact]
    public void An_escaped_control_character_in_a_value_is_shown_escaped_in_the_error()
    {
        var error = Config.Error("server:\n  port: \"\\e[31m80\"\n");

        Assert.Equal("server.port: must be a whole number (got '\\x1b[31m80')", error);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_before_it_is_parsed()
    {
        var path = _directory.Write("config.yaml", "server:\n  port: 1\n" + new string('#', ConfigurationLimits.MaxFileBytes));

        var error = Assert.Single(await ErrorsOf(path));

        Assert.Equal($"config file {path}: is too large (4,194,322 bytes): the limit is 4,194,304 bytes (4 MiB)", error);
    }

    [Fact]
    public async Task The_most_keys_allowed_load_completely()
    {
        var path = _directory.Write("config.yaml", "tracing:\n  resource:\n" + Lines(ConfigurationLimits.MaxEntries - 2, i => $"    k{i}: v{i}"));

        var settings = await Deadlined(() => HyperspotSettings.Read(ConfigurationLoader.Load(path, [], Config.Environment(null)), ShippedModules.All));

        Assert.Equal(ConfigurationLimits.MaxEntries - 2, settings.Tracing.Resource.Count);
        Assert.Equal("v12345", settings.Tracing.Resource["k12345"]);
    }

    /// <summary>
    /// Each key of a large section used to be listed by scanning every key of the layer: 40,000 resource attributes
    /// took 19-27 s, 80,000 four times that. Read linearly, 80,000 take about a second; the bound leaves room for a
    /// loaded machine and still fails the quadratic reading by minutes.
    /// </summary>
    [Fact]
    public async Task Eighty_thousand_resource_attributes_load_in_linear_time()
    {
        var path = _directory.Write("config.yaml", "tracing:\n  resource:\n" + Lines(80_000, i => $"    attribute.{i}: v"));

        var clock = Stopwatch.StartNew();
        var settings = await Deadlined(() => HyperspotSettings.Read(ConfigurationLoader.Load(path, [], Config.Environment(null)), ShippedModules.All));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(80_000, settings.Tracing.Resource.Count);
    }

    [Fact]
    public async Task Problems_past_the_hundredth_are_counted_in_one_closing_line()
    {
        var path = _directory.Write("config.yaml", "server:\n" + Lines(150, i => $"  unknown_{i:000}: v"));

        var errors = await ErrorsOf(path);

        Assert.Equal(ConfigurationLimits.MaxReportedErrors + 1, errors.Count);
        Assert.StartsWith("server.unknown_000: unknown key", errors[0]);
        Assert.Equal("50 more problems are not shown (the first 100 are above)", errors[^1]);
    }

    [Fact]
    public async Task Depth_up_to_the_limit_is_accepted_by_the_loader()
    {
        var path = _directory.Write("config.yaml", "modules:\n  examples:\n    config:\n      relay_allowed_hosts: " + new string('[', ConfigurationLimits.MaxDepth - 4) + new string(']', ConfigurationLimits.MaxDepth - 4) + "\n");

        var errors = await ErrorsOf(path);

        Assert.DoesNotContain(errors, e => e.Contains("nested deeper", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_path_with_a_line_break_is_named_on_one_line()
    {
        var path = _directory.Write("two\nlines.yaml", "a: &a [*a]\n");

        var error = Assert.Single(await ErrorsOf(path));

        Assert.StartsWith($"config file {_directory.Path}/two\\nlines.yaml:1:8: the alias *a", error);
    }

    private static string Laughs()
    {
        var text = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var c = 'b'; c <= 'j'; c++)
        {
            text.Append($"{c}: &{c} [{string.Join(",", Enumerable.Repeat($"*{(char)(c - 1)}", 9))}]\n");
        }

        return text.ToString();
    }

    private static string Lines(int count, Func<int, string> line) =>
        string.Concat(Enumerable.Range(0, count).Select(i => line(i) + "\n"));

    internal static async Task<IReadOnlyList<string>> ErrorsOf(string path) =>
        await Deadlined(() =>
        {
            try
            {
                HyperspotSettings.Read(ConfigurationLoader.Load(path, [], Config.Environment(null)), ShippedModules.All);
                return (IReadOnlyList<string>)["(accepted)"];
            }
            catch (ConfigurationException ex)
            {
                return ex.Errors;
            }
        });

    internal static async Task<T> Deadlined<T>(Func<T> load) => await Task.Run(load).WaitAsync(Deadline);
}
