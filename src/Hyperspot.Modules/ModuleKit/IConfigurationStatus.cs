namespace Hyperspot.Modules.ModuleKit;

/// <summary>What the host tells <c>/health</c> about its configuration: which generation runs, and how the last reload went.</summary>
public interface IConfigurationStatus
{
    /// <summary>1 at start, one more for every reload that changed what the server does.</summary>
    long Generation { get; }

    /// <summary>The last reload, or null when there has been none.</summary>
    ConfigurationReload? LastReload { get; }
}

/// <summary>One configuration reload: when, its result (<c>applied</c>, <c>unchanged</c> or <c>failed</c>), why it failed, and the changed keys that wait for a restart.</summary>
public sealed record ConfigurationReload(DateTimeOffset At, string Result, string? Error, IReadOnlyList<string> RestartRequired);
