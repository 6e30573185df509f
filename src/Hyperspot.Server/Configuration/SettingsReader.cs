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
}
