using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Hyperspot.Docs.Tests.Support;
using Hyperspot.Server.Configuration;

namespace Hyperspot.Docs.Tests;

/// <summary>
/// The configuration references of docs/TRACING.md and docs/METRICS.md against the server: every key row's default is what the server
/// uses when nothing sets the key, and every "N to M" range is where validation draws the line.
/// </summary>
public sealed partial class ReferenceTableTests
{
    /// <summary>The reference's headings and the configuration path their key tables are relative to.</summary>
    private static readonly Dictionary<string, string> SectionOfHeading = new(StringComparer.Ordinal)
    {
        ["### server"] = "server",
        ["### Basic tracing configuration"] = "tracing",
        ["### Exporter configuration"] = "tracing",
        ["### Propagation"] = "tracing",
        ["### HTTP options"] = "tracing",
        ["### Batch export"] = "tracing",
        ["### logging"] = "logging",
        ["#### modules.examples"] = "modules.examples",
        ["### metrics"] = "metrics",
    };

    private static readonly string[] ReferenceFiles = ["docs/TRACING.md", "docs/METRICS.md"];

    private sealed record Row(string File, string Path, string Default, string? Accepted, int Line);

    private static readonly Lazy<IReadOnlyList<Row>> Rows = new(ReadRows);

    [Fact]
    public void Documented_defaults_are_the_defaults()
    {
        var defaults = DocConfig.Load(null);
        var wrong = new List<string>();
        foreach (var row in Rows.Value)
        {
            var actual = Effective(defaults.Effective.Root, row.Path.Split('.'));
            if (!SameDefault(row.Default, actual))
            {
                wrong.Add($"{row.File}:{row.Line}: {row.Path} is documented with default {row.Default}, the server uses '{Show(actual)}'");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(Rows.Value.Count >= 25, $"only {Rows.Value.Count} key rows found in the configuration reference");
    }

    [Fact]
    public void Documented_ranges_are_the_ranges()
    {
        var wrong = new List<string>();
        var checkedRanges = 0;
        foreach (var row in Rows.Value)
        {
            if (row.Accepted is null || RangeCell().Match(row.Accepted) is not { Success: true } range)
            {
                continue;
            }

            checkedRanges++;
            var min = long.Parse(range.Groups["min"].Value, CultureInfo.InvariantCulture);
            var max = long.Parse(range.Groups["max"].Value, CultureInfo.InvariantCulture);
            // "at most `other`" / "at least `other`": move the other key out of the way of the bound being tested.
            var sibling = Relative().Match(row.Accepted) is { Success: true } relative
                ? (Path: row.Path[..(row.Path.LastIndexOf('.') + 1)] + relative.Groups["key"].Value,
                    Value: relative.Groups["relation"].Value == "most" ? max : min)
                : ((string Path, long Value)?)null;
            foreach (var (value, valid) in new[] { (min, true), (max, true), (min - 1, false), (max + 1, false) })
            {
                if (Accepts(row.Path, value, sibling) != valid)
                {
                    wrong.Add($"{row.File}:{row.Line}: {row.Path} documented as {range.Value}, but {value} is {(valid ? "refused" : "accepted")}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(checkedRanges >= 8, $"only {checkedRanges} ranges found");
    }

    private static bool Accepts(string path, long value, (string Path, long Value)? sibling)
    {
        var flags = new List<KeyValuePair<string, string?>> { new(path.Replace('.', ':'), value.ToString(CultureInfo.InvariantCulture)) };
        if (sibling is { } other)
        {
            flags.Add(new(other.Path.Replace('.', ':'), other.Value.ToString(CultureInfo.InvariantCulture)));
        }

        try
        {
            DocConfig.Load(null, new Hashtable(), flags);
            return true;
        }
        catch (ConfigurationException)
        {
            return false;
        }
    }

    private static IReadOnlyList<Row> ReadRows() => ReferenceFiles.SelectMany(ReadRows).ToList();

    private static List<Row> ReadRows(string file)
    {
        var rows = new List<Row>();
        string? section = null;
        var lines = DocFiles.Text(file).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#'))
            {
                section = SectionOfHeading.GetValueOrDefault(line.Trim());
                continue;
            }

            if (section is null || KeyRow().Match(line) is not { Success: true } row)
            {
                continue;
            }

            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();
            var accepted = cells.Count >= 4 ? cells[2] : null;
            rows.Add(new Row(file, $"{section}.{row.Groups["key"].Value}", cells[1], accepted, i + 1));
        }

        return rows;
    }

    private static object? Effective(IReadOnlyDictionary<string, object?> root, string[] path)
    {
        object? node = root;
        foreach (var segment in path)
        {
            node = node is IReadOnlyDictionary<string, object?> map ? map.GetValueOrDefault(segment) : null;
        }

        return node;
    }

    private static bool SameDefault(string documented, object? actual)
    {
        if (documented is "none" or "empty" or "unset")
        {
            return actual switch
            {
                null => true,
                string text => text.Length == 0,
                IEnumerable sequence => !sequence.Cast<object>().Any(),
                _ => false,
            };
        }

        var items = Backticked().Matches(documented).Select(m => m.Groups[1].Value).ToList();
        return actual switch
        {
            IReadOnlyDictionary<string, object?> or null => false,
            IEnumerable<string> list when actual is not string => list.SequenceEqual(items),
            bool flag => items.Count > 0 && items[0] == (flag ? "true" : "false"),
            IFormattable number => items.Count > 0 && items[0] == number.ToString(null, CultureInfo.InvariantCulture),
            _ => items.Count > 0 && items[0] == actual.ToString(),
        };
    }

    private static string Show(object? value) => value switch
    {
        null => "(nothing)",
        IEnumerable<string> items when value is not string => "[" + string.Join(", ", items) + "]",
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"^\| `(?<key>[a-z_.]+)` \|")]
    private static partial Regex KeyRow();

    [GeneratedRegex(@"^(?<min>\d+) to (?<max>\d+)")]
    private static partial Regex RangeCell();

    [GeneratedRegex(@"at (?<relation>most|least) `(?<key>[a-z_]+)`")]
    private static partial Regex Relative();

    [GeneratedRegex("`([^`]*)`")]
    private static partial Regex Backticked();
}
