using YamlDotNet.Core;

namespace Hyperspot.Server.Configuration;

/// <summary>What a key or a tag in the configuration file may be; each rule gives the message for the file's line.</summary>
internal static class YamlNodeRules
{
    private static readonly HashSet<string> StandardTags = new(StringComparer.Ordinal)
    {
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
    };

    /// <summary>
    /// Tags are not interpreted by the YAML provider: a custom one (<c>!env</c>) or <c>!!binary</c> would be read as
    /// its plain text without a word, so only YAML's standard tags are accepted.
    /// </summary>
    public static string? TagProblem(TagName tag) =>
        tag.IsEmpty || tag.IsNonSpecific || StandardTags.Contains(tag.Value)
            ? null
            : $"the tag '{ShownValue.Of("", tag.Value)}' is not supported (only YAML's standard ones, such as !!str)";

    /// <summary>
    /// A key is one level of a configuration path: bounded, not empty, no ':' (which would address another path),
    /// no control characters; a plain <c>&lt;&lt;</c> is a merge key, which the provider would keep as a key.
    /// </summary>
    public static string? KeyProblem(string key, bool plain)
    {
        if (key.Length > ConfigurationLimits.MaxKeyLength)
        {
            return $"a key of {ConfigurationLimits.Format(key.Length)} characters: the limit is {ConfigurationLimits.Format(ConfigurationLimits.MaxKeyLength)}";
        }

        if (plain && key == "<<")
        {
            return "merge keys ('<<') are not supported; write the keys out";
        }

        if (key.Length == 0)
        {
            return "a key must not be empty";
        }

        if (key.Contains(':'))
        {
            return $"the key '{ShownValue.Of("", key)}' contains ':', which separates levels in configuration paths; nest the keys instead";
        }

        return key.Any(char.IsControl) ? $"the key '{ShownValue.Of("", key)}' contains a control character" : null;
    }
}
