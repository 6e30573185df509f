namespace Hyperspot.Deployment.Tests.Support;

/// <summary>Locates files of the repository the tests were built from.</summary>
internal static class Repo
{
    public const string SolutionFile = "Hyperspot.sln";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding <c>Hyperspot.sln</c>, found by walking up from the test binaries.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>Absolute path of a repository-relative path written with '/' separators (a leading "./" is allowed).</summary>
    public static string PathOf(string relative)
    {
        var trimmed = relative.StartsWith("./", StringComparison.Ordinal) ? relative[2..] : relative;
        trimmed = trimmed.TrimEnd('/');
        if (trimmed.Length == 0 || trimmed == ".")
        {
            return Root;
        }

        return Path.GetFullPath(Path.Combine(Root, trimmed.Replace('/', Path.DirectorySeparatorChar)));
    }

    public static bool Exists(string relative)
    {
        var full = PathOf(relative);
        return File.Exists(full) || Directory.Exists(full);
    }

    public static string ReadAllText(string relative)
    {
        var full = PathOf(relative);
        Assert.True(File.Exists(full), $"Expected file '{relative}' in the repository (looked at {full}).");
        return File.ReadAllText(full);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Could not find {SolutionFile} in any parent folder of {AppContext.BaseDirectory}.");
    }
}
