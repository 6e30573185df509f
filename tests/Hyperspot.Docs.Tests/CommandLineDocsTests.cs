using System.Text.RegularExpressions;
using Hyperspot.Docs.Tests.Support;
using Hyperspot.Modules;
using Hyperspot.Server.Cli;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Docs.Tests;

/// <summary>The README's command-line section against the real command line: the same options, the same exit codes.</summary>
[Collection(HostCollection.Name)]
public sealed partial class CommandLineDocsTests
{
    [Fact]
    public async Task Readme_lists_exactly_the_options_and_commands_of_help()
    {
        var (code, help, _) = await Run("--help");
        Assert.Equal(0, code);
        var inHelp = HelpToken().Matches(help).Select(m => m.Value).Where(t => t != "-?").ToHashSet(StringComparer.Ordinal);
        inHelp.UnionWith(CommandLine().Matches(help).Select(m => m.Groups["command"].Value));

        var table = ReadmeCommandTable();
        var inReadme = table
            .SelectMany(row => Backticked().Matches(row.Split('|')[1]).Select(m => m.Groups[1].Value.Split(' ')[0]))
            .Where(t => !t.StartsWith("--section", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(inHelp.Except(inReadme));
        Assert.Empty(inReadme.Except(inHelp));
    }

    [Fact]
    public async Task Exit_codes_are_the_documented_ones()
    {
        var readme = DocFiles.Text("README.md");
        Assert.Matches(@"\| 0 \| Success", readme);
        Assert.Matches(@"\| 2 \| The command line or the configuration is invalid", readme);

        Assert.Equal(0, (await Run("check", "-c", Repo.PathOf("config/quickstart.yaml"))).Code);
        Assert.Equal(0, (await Run("--version")).Code);
        Assert.Equal(0, (await Run("--print-config", "-c", Repo.PathOf("config/production.yaml"))).Code);
        Assert.Equal(0, (await Run("--list-modules")).Code);

        var (code, _, errors) = await Run("check", "--tracing:sampler:strategy=sometimes");
        Assert.Equal(2, code);
        Assert.Matches(@"^error: tracing\.sampler\.strategy: ", errors);
        Assert.Equal(2, (await Run("--bogus")).Code);
    }

    [Fact]
    public async Task Print_config_masks_secrets_as_documented()
    {
        var (code, output, _) = await Run("--print-config", "-c", Repo.PathOf("config/with-uptrace.yaml"));
        Assert.Equal(0, code);
        Assert.Contains("uptrace-dsn: '***REDACTED***'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("project1_secret", output, StringComparison.Ordinal);
        Assert.Contains("`***REDACTED***`", DocFiles.Text("docs/TRACING.md"), StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Errors)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new ServerCommandLine(ShippedModules.All, output, error).InvokeAsync(args);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The rows of the README table under "## Command line".</summary>
    private static List<string> ReadmeCommandTable()
    {
        var lines = DocFiles.Text("README.md").Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("| Command or option", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no command-line table");
        return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')).ToList();
    }

    [GeneratedRegex(@"(?<![\w-])--?[a-z][a-z-]*(?=[ ,<\n]|$)", RegexOptions.Multiline)]
    private static partial Regex HelpToken();

    [GeneratedRegex(@"^  (?<command>[a-z]+) {2,}\S", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    [GeneratedRegex("`([^`]*)`")]
    private static partial Regex Backticked();
}
