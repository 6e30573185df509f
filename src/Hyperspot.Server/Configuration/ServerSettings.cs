namespace Hyperspot.Server.Configuration;

/// <summary>The <c>server</c> section: where the server listens and keeps its files.</summary>
public sealed class ServerSettings
{
    public string HomeDir { get; init; } = ExpandHome("~/.hyperspot");

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8087;

    public bool EnableDocs { get; init; } = true;

    public int ShutdownTimeoutMs { get; init; } = 10_000;

    public static ServerSettings Read(SectionReader section)
    {
        var defaults = new ServerSettings();
        var settings = new ServerSettings
        {
            HomeDir = ExpandHome(section.String("home_dir", "~/.hyperspot")),
            Host = section.String("host", defaults.Host),
            Port = section.Int("port", defaults.Port, 0, 65535),
            EnableDocs = section.Bool("enable_docs", defaults.EnableDocs),
            ShutdownTimeoutMs = section.Int("shutdown_timeout_ms", defaults.ShutdownTimeoutMs, 0, 600_000),
        };
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            section.Errors.Add(section.PathOf("host"), "must not be empty");
        }

        section.RejectUnknownKeys();
        return settings;
    }

    /// <summary>Resolves a path from the configuration: <c>~</c> is the user's home, a relative path is relative to <see cref="HomeDir"/>.</summary>
    public string Resolve(string path)
    {
        var expanded = ExpandTilde(path);
        return Path.GetFullPath(Path.IsPathRooted(expanded) ? expanded : Path.Combine(HomeDir, expanded));
    }

    /// <summary>The home directory itself: <c>~</c> expanded, a relative path taken from the working directory.</summary>
    private static string ExpandHome(string path) => Path.GetFullPath(ExpandTilde(path));

    private static string ExpandTilde(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            // Not verified: a home directory that does not exist yet is created like any other, not dropped.
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
            return Path.Combine(home, path.Length > 2 ? path[2..] : "");
        }

        return path;
    }
}
