using System.Text;
using System.Text.RegularExpressions;

namespace Hyperspot.Docs.Tests.Support;

/// <summary>
/// One run of the server shown in a ```bash block: the variables in effect (exported earlier in the block, or
/// assigned before the command), the <c>--config</c> file and the <c>--section:key=value</c> flags.
/// </summary>
public sealed record ShellScenario(
    CodeBlock Block,
    string Command,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string? ConfigFile,
    IReadOnlyList<KeyValuePair<string, string>> Flags)
{
    /// <summary>The expected error when the block's first line is <c># rejected: MESSAGE</c>.</summary>
    public string? RejectedWith =>
        Block.FirstLine.StartsWith("# rejected:", StringComparison.Ordinal) ? Block.FirstLine["# rejected:".Length..].Trim() : null;

    public override string ToString() => $"{Block} `{Command}`";
}

/// <summary>Reads the server invocations, variables and flags out of the docs' shell blocks, the way bash would.</summary>
public static partial class ShellExamples
{
    private static readonly string[] Sections = ["server", "tracing", "metrics", "logging", "modules"];

    /// <summary>Every scenario of every ```bash block, plus the mistakes a shell would not accept.</summary>
    public static (IReadOnlyList<ShellScenario> Scenarios, IReadOnlyList<string> Problems) All()
    {
        var scenarios = new List<ShellScenario>();
        var problems = new List<string>();
        foreach (var block in DocFiles.OfLanguage("bash"))
        {
            Parse(block, scenarios, problems);
        }

        return (scenarios, problems);
    }

    private static void Parse(CodeBlock block, List<ShellScenario> scenarios, List<string> problems)
    {
        var exported = new List<KeyValuePair<string, string>>();
        var ranServer = false;
        foreach (var line in LogicalLines(block.Content))
        {
            var words = Words(line);
            if (words.Count == 0)
            {
                continue;
            }

            if (words[0] == "export")
            {
                foreach (var word in words.Skip(1))
                {
                    if (Assignment(word) is not { } pair)
                    {
                        continue;
                    }

                    if (!ShellName().IsMatch(pair.Key))
                    {
                        problems.Add($"{block}: bash cannot export '{pair.Key}' (use env)");
                    }

                    exported.Add(pair);
                }

                continue;
            }

            var index = 0;
            var viaEnv = words[0] == "env";
            if (viaEnv)
            {
                index = 1;
            }

            var assigned = new List<KeyValuePair<string, string>>();
            for (; index < words.Count && Assignment(words[index]) is { } pair; index++)
            {
                if (!viaEnv && !ShellName().IsMatch(pair.Key))
                {
                    problems.Add($"{block}: bash does not take '{pair.Key}=...' as a variable (a name with '.' or '-' needs env)");
                }

                assigned.Add(pair);
            }

            var command = words.Skip(index).ToList();
            if (command.Count == 0 || command[0] != "dotnet" || command.Contains("test"))
            {
                continue;
            }

            ranServer = true;
            string? config = null;
            var flags = new List<KeyValuePair<string, string>>();
            for (var i = 0; i < command.Count; i++)
            {
                if ((command[i] == "--config" || command[i] == "-c") && i + 1 < command.Count)
                {
                    config = command[++i];
                }
                else if (Flag().Match(command[i]) is { Success: true } flag
                    && Sections.Contains(flag.Groups["section"].Value, StringComparer.OrdinalIgnoreCase))
                {
                    flags.Add(new(flag.Groups["key"].Value, flag.Groups["value"].Value));
                }
            }

            scenarios.Add(new ShellScenario(block, string.Join(' ', command), [.. exported, .. assigned], config, flags));
        }

        if (!ranServer && exported.Count > 0)
        {
            scenarios.Add(new ShellScenario(block, "(exported variables)", exported, null, []));
        }
    }

    /// <summary>The block's lines with backslash continuations joined.</summary>
    private static IEnumerable<string> LogicalLines(string content)
    {
        var current = new StringBuilder();
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.EndsWith('\\'))
            {
                current.Append(line[..^1]).Append(' ');
                continue;
            }

            current.Append(line);
            yield return current.ToString();
            current.Clear();
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    /// <summary>Splits a line into words as bash does for simple commands: quotes group and are removed, '#' starts a comment.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static KeyValuePair<string, string>? Assignment(string word) =>
        VariableAssignment().Match(word) is { Success: true } match
            ? new(match.Groups["name"].Value, match.Groups["value"].Value)
            : null;

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_.\-]*)=(?<value>.*)$")]
    private static partial Regex VariableAssignment();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ShellName();

    [GeneratedRegex(@"^--(?<key>(?<section>[A-Za-z]+):[^=]+)=(?<value>.*)$")]
    private static partial Regex Flag();
}
