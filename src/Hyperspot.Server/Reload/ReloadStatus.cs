using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Reload;

/// <summary>The configuration generation and the last reload, for <c>/health</c>.</summary>
public sealed class ReloadStatus : IConfigurationStatus
{
    public const string Applied = "applied";
    public const string Unchanged = "unchanged";
    public const string Failed = "failed";

    private long _generation = 1;
    private volatile ConfigurationReload? _last;

    public long Generation => Interlocked.Read(ref _generation);

    public ConfigurationReload? LastReload => _last;

    /// <summary>Records a reload; an applied one starts the next generation.</summary>
    public void Record(string result, string? error, IReadOnlyList<string> restartRequired)
    {
        if (result == Applied)
        {
            Interlocked.Increment(ref _generation);
        }

        _last = new ConfigurationReload(DateTimeOffset.UtcNow, result, error, restartRequired);
    }
}
