using Hyperspot.Server.Configuration;
using YamlDotNet.Serialization;

namespace Hyperspot.Server.Cli;

/// <summary>Writes the effective configuration as YAML; secrets were masked when it was recorded.</summary>
public static class ConfigurationPrinter
{
    public static string ToYaml(EffectiveConfiguration effective) =>
        new SerializerBuilder().Build().Serialize(effective.Root);
}
