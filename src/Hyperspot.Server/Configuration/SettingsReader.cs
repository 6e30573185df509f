using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Reads typed settings out of the layered configuration, collecting every error with its full path
/// and recording the effective value of every key it reads.
/// </summary>
public sealed class SettingsReader(IConfigurationRoot root)
{
    public IConfigurationRoot Root { get; } = root;

    public ConfigurationErrors Errors { get; } = new();

    public EffectiveConfiguration Effective { get; } = new();

    public SectionReader Section(string key) => new(this, Root.GetSection(key), [key]);

    /// <summary>
    /// How an invalid key is named in messages: its dotted path (under <paramref name="parent"/>, the dotted path of
    /// its section, empty at the top level) as written in the file, or in lower case with the <c>APP__</c> variable
    /// or flag that set it.
    /// </summary>
    public string UnknownPath(string parent, string configurationPath, string key)
    {
        var origin = ChildKeyIndex.OriginOf(Root, configurationPath);
        var shownKey = ShownValue.EscapeControls(origin is null ? key : key.ToLowerInvariant());
        var path = parent.Length == 0 ? shownKey : parent + "." + shownKey;
        return origin is null ? path : $"{path} (from {SectionReader.Shown("", origin)})";
    }
}
