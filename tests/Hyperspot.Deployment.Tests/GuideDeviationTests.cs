using System.Text.RegularExpressions;
using Hyperspot.Deployment.Tests.Support;

namespace Hyperspot.Deployment.Tests;

/// <summary>
/// The "Coming from the Rust guide" table of docs/TRACING.md names where docker-compose.yml departs from the guide's
/// compose files; each row about the compose file is checked against the file, so the table cannot drift from it.
/// </summary>
public sealed partial class GuideDeviationTests
{
    private readonly ComposeFile _compose = ComposeFile.Load();

    private static string Table
    {
        get
        {
            var text = Repo.ReadAllText("docs/TRACING.md");
            var start = text.IndexOf("## Coming from the Rust guide", StringComparison.Ordinal);
            Assert.True(start >= 0, "docs/TRACING.md has no 'Coming from the Rust guide' section");
            var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            return end < 0 ? text[start..] : text[start..end];
        }
    }

    [Fact]
    public void The_jaeger_version_the_table_names_is_the_pinned_default()
    {
        var row = Row("JAEGER_VERSION");
        var named = JaegerVersion().Match(row);
        Assert.True(named.Success, $"the row does not name the pinned release: {row}");
        Assert.Equal("jaegertracing/jaeger:" + named.Groups[1].Value, _compose.DefaultImage("jaeger"));
    }

    [Fact]
    public void The_v1_otlp_switch_is_dropped_and_the_log_level_kept_as_the_table_says()
    {
        Assert.Contains("not set", Row("COLLECTOR_OTLP_ENABLED"), StringComparison.Ordinal);
        Assert.False(_compose.Environment("jaeger").ContainsKey("COLLECTOR_OTLP_ENABLED"));

        Assert.Contains("deploy/jaeger/config.yaml", Row("LOG_LEVEL=debug"), StringComparison.Ordinal);
        Assert.Equal("debug", _compose.Environment("jaeger")["LOG_LEVEL"]);
    }

    [Fact]
    public void Clickhouse_publishes_no_port_as_the_table_says()
    {
        Assert.Contains("not published", Row("9000:9000"), StringComparison.Ordinal);
        Assert.Empty(_compose.Ports("clickhouse"));
    }

    [Fact]
    public void Jaeger_networks_are_the_ones_the_table_names()
    {
        var row = Row("`jaeger-example`");
        foreach (var network in _compose.Networks("jaeger"))
        {
            Assert.Contains(network == "default" ? "default network" : $"`{network}`", row, StringComparison.Ordinal);
        }
    }

    private static string Row(string mentioning)
    {
        var rows = Table.Split('\n').Where(l => l.StartsWith('|') && l.Split('|')[1].Contains(mentioning, StringComparison.Ordinal)).ToList();
        Assert.True(rows.Count == 1, $"expected one row of the table whose guide column mentions {mentioning}, found {rows.Count}");
        return rows[0];
    }

    [GeneratedRegex(@"v2 release `(2\.\d+\.\d+)`")]
    private static partial Regex JaegerVersion();
}
