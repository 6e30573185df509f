namespace Hyperspot.Server.Configuration;

/// <summary>The <c>server</c> section: where the server listens and keeps its files.</summary>
public sealed class ServerSettings
{
    public string HomeDir { get; init; } = ExpandHome("~/.hyperspot");

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The addresses <see cref="Host"/> stands for, validated and resolved when the configuration is read.</summary>
    public ListenHost Listen { get; init; } = ListenHost.Loopback;

    public int Port { get; init; } = 8087;

    public bool EnableDocs { get; init; } = true;

    public int ShutdownTimeoutMs { get; init; } = 10_000;

    /// <param name="lookup">Resolves a host name (the system's DNS unless a test stands in for it).</param>
    public static ServerSettings Read(SectionReader section, ListenHost.Lookup? lookup = null)
    {
        var defaults = new ServerSettings();
        var host = section.String("host", defaults.Host);
        var (listen, hostError) = ListenHost.Parse(host, lookup ?? ListenHost.SystemLookup, ConfigurationLimits.HostResolutionTimeout);
        if (hostError is not null)
        {
            section.Errors.Add(section.PathOf("host"), hostError);
        }

        var settings = new ServerSettings
        {
            HomeDir = ExpandHome(section.String("home_dir", "~/.hyperspot")),
            Host = host,
            Listen = listen ?? defaults.Listen,
            Port = section.Int("port", defaults.Port, 0, 65535),
            EnableDocs = section.Bool("enable_docs", defaults.EnableDocs),
            ShutdownTimeoutMs = section.Int("shutdown_timeout_ms", defaults.ShutdownTimeoutMs, 0, 600_000),
        };
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
