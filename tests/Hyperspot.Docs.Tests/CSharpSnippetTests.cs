using Hyperspot.Docs.Tests.Support;

namespace Hyperspot.Docs.Tests;

/// <summary>
/// Every ```csharp block of the docs is compiled: it appears, verbatim up to whitespace, in a source file under
/// <c>Snippets/</c> of this project, placed in a context (a class, a method) where it compiles. A snippet that stops
/// compiling breaks this project's build; a snippet edited in the docs but not in <c>Snippets/</c> fails here.
/// </summary>
public sealed class CSharpSnippetTests
{
    private static readonly Lazy<string> CompiledSources = new(() =>
        string.Join(
            "\n",
            Directory.GetFiles(Repo.PathOf("tests/Hyperspot.Docs.Tests/Snippets"), "*.cs", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(path => DocFiles.Normalize(File.ReadAllText(path)))));

    public static TheoryData<string> Snippets() => [.. CSharpBlocks().Select(b => b.ToString())];

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_is_compiled(string location)
    {
        var block = CSharpBlocks().Single(b => b.ToString() == location);
        Assert.True(
            CompiledSources.Value.Contains(DocFiles.Normalize(block.Content), StringComparison.Ordinal),
            $"The C# block at {location} is not in tests/Hyperspot.Docs.Tests/Snippets/*.cs. Copy it there, verbatim, "
            + $"into a context where it compiles:\n{block.Content}");
    }

    [Fact]
    public void The_guide_has_its_snippets()
    {
        Assert.True(CSharpBlocks().Count() >= 10, $"only {CSharpBlocks().Count()} C# blocks found in the docs");
    }

    /// <summary>C# blocks under any of the usual fence names.</summary>
    private static IEnumerable<CodeBlock> CSharpBlocks() =>
        DocFiles.Blocks.Where(b => b.Language is "csharp" or "cs" or "c#" or "C#");
}
