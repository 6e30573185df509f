namespace Hyperspot.Docs.Tests.Support;

/// <summary>Locates files of the repository the tests were built from.</summary>
internal static class Repo
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding <c>Hyperspot.sln</c>, found by walking up from the test binaries.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The absolute path of a repository-relative path written with '/'.</summary>
    public static string PathOf(string relative) =>
        Path.GetFullPath(Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar)));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hyperspot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Hyperspot.sln is in no parent folder of {AppContext.BaseDirectory}.");
    }
}
