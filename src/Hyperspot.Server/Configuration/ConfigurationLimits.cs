using System.Globalization;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The bounds every configuration layer is read within, decided before any parser runs, so that no input can make
/// loading hang, recurse without end or take unbounded memory. A real configuration is far below each of them.
/// </summary>
public static class ConfigurationLimits
{
    /// <summary>The largest configuration file read, in bytes (4 MiB).</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>How long reading the file may take: a file that blocks (a FIFO, a device) is an error, not a hang.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Mappings and lists nested in one another, aliases expanded.</summary>
    public const int MaxDepth = 32;

    /// <summary>YAML documents in the file: one is read, empty ones (<c>---</c> markers) may follow it.</summary>
    public const int MaxDocuments = 100;

    /// <summary>Aliases (<c>*name</c>) in the file.</summary>
    public const int MaxAliases = 1_000;

    /// <summary>Keys and list items in the file, aliases expanded.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>Characters of all keys and values together, aliases expanded.</summary>
    public const int MaxExpandedCharacters = MaxFileBytes;

    /// <summary>The longest key (one level of a path), in characters.</summary>
    public const int MaxKeyLength = 1_024;

    /// <summary>The longest value, in characters.</summary>
    public const int MaxValueLength = 65_536;

    /// <summary>How many <c>APP__</c> variables, and how many <c>--section:key=value</c> overrides, are read.</summary>
    public const int MaxOverrides = 1_000;

    /// <summary>The longest <c>APP__</c> variable name or override key, in characters.</summary>
    public const int MaxOverrideKeyLength = 1_024;

    /// <summary>How long resolving <c>server.host</c> may take.</summary>
    public static readonly TimeSpan HostResolutionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Problems reported at once; the rest are counted in one closing line.</summary>
    public const int MaxReportedErrors = 100;

    /// <summary>A count as it appears in messages: <c>4,194,304</c>.</summary>
    internal static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
