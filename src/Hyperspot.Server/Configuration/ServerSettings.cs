using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>The <c>server</c> section: where the server listens and keeps its files. A new instance holds the defaults.</summary>
public sealed class ServerSettings
{
    /// <summary><c>home_dir</c> as configured; <see cref="HomeDir"/> is the directory it names.</summary>
    [ConfigurationKeyName("home_dir")]
    public string ConfiguredHomeDir { get; init; } = "~/.hyperspot";

    [ListenAddress]
    public string Host { get; init; } = "127.0.0.1";

    [Range(0, 65535)]
    public int Port { get; init; } = 8087;

    [ConfigurationKeyName("enable_docs")]
    public bool EnableDocs { get; init; } = true;

    [ConfigurationKeyName("shutdown_timeout_ms")]
    [Range(0, 600_000)]
    public int ShutdownTimeoutMs { get; init; } = 10_000;

    /// <summary>The home directory: <c>~</c> expanded, a relative path taken from the working directory.</summary>
    public string HomeDir => Path.GetFullPath(ExpandTilde(ConfiguredHomeDir));

    /// <summary>The addresses <see cref="Host"/> stands for, resolved when the settings are validated.</summary>
    public ListenHost Listen { get; private set; } = ListenHost.Loopback;

    /// <summary>Checks <see cref="Host"/> as <see cref="ListenHost.Parse"/> does, and keeps the addresses it stands for.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class ListenAddressAttribute : ValidationAttribute
    {
        protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
        {
            var (listen, error) = ListenHost.Parse((string?)value ?? "", ListenHost.SystemLookup, ConfigurationLimits.HostResolutionTimeout);
            if (listen is not null && validationContext.ObjectInstance is ServerSettings server)
            {
                server.Listen = listen;
            }

            return error is null ? ValidationResult.Success : new ValidationResult(error);
        }
    }

    /// <summary>Resolves a path from the configuration: <c>~</c> is the user's home, a relative path is relative to <see cref="HomeDir"/>.</summary>
    public string Resolve(string path)
    {
        var expanded = ExpandTilde(path);
        return Path.GetFullPath(Path.IsPathRooted(expanded) ? expanded : Path.Combine(HomeDir, expanded));
    }

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
