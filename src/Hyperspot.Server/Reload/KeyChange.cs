namespace Hyperspot.Server.Reload;

/// <summary>One configuration key whose value a reload changes, with both values as shown (secrets masked; null when unset).</summary>
public sealed record KeyChange(string Key, string? Old, string? New)
{
    /// <summary>False when the running server can take the new value; true when it keeps the old one until a restart.</summary>
    public bool NeedsRestart => !ReloadableKeys.Contains(Key);

    public override string ToString() => $"{Key} = {Old ?? "(unset)"} -> {New ?? "(unset)"}";
}
