namespace Hyperspot.Server.Configuration;

/// <summary>One module's <c>modules.&lt;name&gt;</c> section: <c>enabled</c>, and <c>config</c> bound to the module's options type.</summary>
public sealed class ModuleSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>The bound and validated options, or null when the module takes none.</summary>
    public object? Options { get; internal set; }
}
