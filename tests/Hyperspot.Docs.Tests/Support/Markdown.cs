using System.Text.RegularExpressions;

namespace Hyperspot.Docs.Tests.Support;

/// <summary>One fenced code block of a Markdown file.</summary>
public sealed record CodeBlock(string File, int Line, string Language, string Content)
{
    /// <summary>The first line of the block, trimmed: where the markers (<c># rejected: ...</c>) live.</summary>
    public string FirstLine => Content.Split('\n')[0].Trim();

    /// <summary>Where the block is, as <c>docs/TRACING.md:116</c> (the line of the opening fence).</summary>
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>The documentation under test and its fenced code blocks.</summary>
public static partial class DocFiles
{
    /// <summary>The documents whose code blocks are checked.</summary>
    public static readonly IReadOnlyList<string> Files = ["README.md", "docs/TRACING.md", "docs/METRICS.md"];

    /// <summary>The fence languages of blocks that are documentation only (output, layouts): never executed.</summary>
    public static readonly IReadOnlyList<string> ProseLanguages = ["text", "json"];

    /// <summary>The fence languages of blocks that the tests load, compile or run.</summary>
    public static readonly IReadOnlyList<string> CheckedLanguages = ["yaml", "bash", "csharp"];

    private static readonly Lazy<IReadOnlyList<CodeBlock>> LazyBlocks = new(() => Files.SelectMany(Read).ToList());

    public static IReadOnlyList<CodeBlock> Blocks => LazyBlocks.Value;

    public static IEnumerable<CodeBlock> OfLanguage(string language) => Blocks.Where(b => b.Language == language);

    public static string Text(string file) => System.IO.File.ReadAllText(Repo.PathOf(file)).ReplaceLineEndings("\n");

    /// <summary>
    /// The fenced blocks of <paramref name="file"/>. A fence may be indented (inside a list item): the block's lines
    /// lose that indentation. The language is the first word of the info string.
    /// </summary>
    public static IEnumerable<CodeBlock> Read(string file)
    {
        var lines = Text(file).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Fence().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var indent = match.Groups["indent"].Length;
            var fence = match.Groups["fence"].Value;
            var language = match.Groups["info"].Value.Trim().Split(' ', 2)[0];
            var start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim() != fence; i++)
            {
                var line = lines[i];
                var strip = Math.Min(indent, line.Length - line.TrimStart(' ').Length);
                body.Add(line[strip..]);
            }

            if (i >= lines.Length)
            {
                throw new InvalidOperationException($"{file}:{start + 1}: the code block is never closed.");
            }

            yield return new CodeBlock(file, start + 1, language, string.Join('\n', body));
        }
    }

    /// <summary>Whitespace-insensitive form of source text, for "the snippet appears in the compiled file".</summary>
    public static string Normalize(string code) => Whitespace().Replace(code, " ").Trim();

    [GeneratedRegex(@"^(?<indent> *)(?<fence>`{3,})(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
