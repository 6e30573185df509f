using System.Text.RegularExpressions;
using Hyperspot.Docs.Tests.Support;
using Hyperspot.Server.Configuration;

namespace Hyperspot.Docs.Tests;

/// <summary>
/// Every ```yaml block of the docs is a Hyperspot configuration (or a complete fragment of one) and goes through the
/// real loader and validation. First-line markers:
/// <list type="bullet">
/// <item><c># not a Hyperspot config...</c>: another tool's YAML (compose, collector); skipped on purpose.</item>
/// <item><c># rejected: MESSAGE</c>: an example of a mistake; loading must fail with an error containing MESSAGE.</item>
/// <item><c># config/FILE.yaml</c>: a copy of that file; it must load and hold the same keys and values as the file.</item>
/// </list>
/// </summary>
public sealed partial class YamlBlockTests
{
    public const string NotAConfig = "# not a Hyperspot config";
    public const string Rejected = "# rejected:";

    public static TheoryData<string> ConfigBlocks() => [.. DocFiles.OfLanguage("yaml").Where(b => !IsOtherTool(b)).Select(b => b.ToString())];

    [Theory]
    [MemberData(nameof(ConfigBlocks))]
    public void Yaml_block_is_what_it_claims(string location)
    {
        var block = DocFiles.OfLanguage("yaml").Single(b => b.ToString() == location);
        if (block.FirstLine.StartsWith(Rejected, StringComparison.Ordinal))
        {
            var expected = block.FirstLine[Rejected.Length..].Trim();
            var ex = Assert.Throws<ConfigurationException>(() => { DocConfig.LoadYaml(block.Content); });
            Assert.True(
                ex.Errors.Any(e => e.Contains(expected, StringComparison.Ordinal)),
                $"{location} says it is rejected with '{expected}', but the errors are:\n{string.Join("\n", ex.Errors)}");
            return;
        }

        try
        {
            DocConfig.LoadYaml(block.Content);
        }
        catch (ConfigurationException ex)
        {
            Assert.Fail($"{location} is not a valid configuration:\n{string.Join("\n", ex.Errors)}");
        }

        if (CopyOf().Match(block.FirstLine) is { Success: true } copy)
        {
            var file = copy.Groups["file"].Value;
            var path = Repo.PathOf(file);
            Assert.True(File.Exists(path), $"{location} claims to be a copy of {file}, which does not exist.");
            var shown = Flatten(block.Content);
            var actual = DocConfig.Flatten(path);
            var differences = shown.Keys.Union(actual.Keys)
                .Where(k => shown.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
                .Select(k => $"{k}: docs '{shown.GetValueOrDefault(k) ?? "(absent)"}', file '{actual.GetValueOrDefault(k) ?? "(absent)"}'")
                .ToList();
            Assert.True(differences.Count == 0, $"{location} no longer matches {file}:\n{string.Join("\n", differences)}");
        }
    }

    [Fact]
    public void Enough_yaml_blocks_are_checked_and_every_skipped_one_is_marked()
    {
        var yaml = DocFiles.OfLanguage("yaml").ToList();
        var skipped = yaml.Where(IsOtherTool).ToList();
        var rejected = yaml.Count(b => b.FirstLine.StartsWith(Rejected, StringComparison.Ordinal));
        var valid = yaml.Count - skipped.Count - rejected;

        Assert.True(valid >= 18, $"only {valid} yaml blocks are validated; the docs have lost their configuration examples, or the parser is broken");
        Assert.True(rejected >= 3, $"only {rejected} rejected examples");
        Assert.True(yaml.Count(b => CopyOf().IsMatch(b.FirstLine)) >= 2, "the quick starts show the config files they use");
        Assert.True(skipped.Count <= 3, $"{skipped.Count} yaml blocks are skipped as not Hyperspot configs: {string.Join(", ", skipped)}");
    }

    private static bool IsOtherTool(CodeBlock block) => block.FirstLine.StartsWith(NotAConfig, StringComparison.Ordinal);

    private static IReadOnlyDictionary<string, string> Flatten(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hyperspot-docs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        try
        {
            return DocConfig.Flatten(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"^# (?<file>config/[\w.-]+\.ya?ml)$")]
    private static partial Regex CopyOf();
}
