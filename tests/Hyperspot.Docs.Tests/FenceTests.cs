using System.Text.RegularExpressions;
using Hyperspot.Docs.Tests.Support;

namespace Hyperspot.Docs.Tests;

/// <summary>No code block escapes the checks through its fence: each is checked or is plainly prose.</summary>
public sealed partial class FenceTests
{
    [Fact]
    public void Every_code_block_has_a_known_language()
    {
        var unknown = DocFiles.Blocks
            .Where(b => !DocFiles.CheckedLanguages.Contains(b.Language) && !DocFiles.ProseLanguages.Contains(b.Language))
            .Select(b => $"{b} ```{b.Language}")
            .ToList();
        Assert.True(
            unknown.Count == 0,
            $"code blocks must be one of {string.Join(", ", DocFiles.CheckedLanguages.Concat(DocFiles.ProseLanguages))}: {string.Join("; ", unknown)}");
    }

    [Fact]
    public void The_documents_are_found()
    {
        Assert.True(DocFiles.Blocks.Count >= 50, $"only {DocFiles.Blocks.Count} code blocks in {string.Join(", ", DocFiles.Files)}");
        foreach (var file in DocFiles.Files)
        {
            Assert.Contains(DocFiles.Blocks, b => b.File == file);
        }
    }

    [Fact]
    public void Readme_gives_the_two_commands_of_the_quick_start()
    {
        var readme = DocFiles.Text("README.md");
        Assert.Contains("dotnet run --project src/Hyperspot.Server -- --config config/quickstart.yaml", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet test Hyperspot.sln", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_links_lead_to_files_and_headings_that_exist()
    {
        var broken = new List<string>();
        foreach (var file in DocFiles.Files)
        {
            var folder = Path.GetDirectoryName(Repo.PathOf(file))!;
            foreach (Match link in Link().Matches(DocFiles.Text(file)))
            {
                var target = link.Groups["target"].Value;
                var anchor = link.Groups["anchor"].Value;
                var path = target.Length == 0 ? Repo.PathOf(file) : Path.GetFullPath(Path.Combine(folder, target));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    // The link to PERFORMANCE.md may precede the file; once the file exists, the link is checked like any other.
                    if (Path.GetFileName(path) != "PERFORMANCE.md")
                    {
                        broken.Add($"{file}: {target}");
                    }

                    continue;
                }

                if (anchor.Length > 0 && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllText(path)).Contains(anchor))
                {
                    broken.Add($"{file}: {target}#{anchor}");
                }
            }
        }

        Assert.True(broken.Count == 0, $"links to nothing: {string.Join(", ", broken)}");
    }

    /// <summary>The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as '-'.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (inFence || !line.StartsWith('#'))
            {
                continue;
            }

            var slug = new string(line.TrimStart('#').Trim().ToLowerInvariant()
                .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')
                .Select(c => c == ' ' ? '-' : c)
                .ToArray());
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++)
            {
                unique = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    [GeneratedRegex(@"\]\((?<target>[^)#:\s]*)(?:#(?<anchor>[^)\s]+))?\)")]
    private static partial Regex Link();
}
