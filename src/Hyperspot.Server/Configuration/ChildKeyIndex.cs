using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The children of every path of one configuration layer, built once from its keys. The stock
/// <see cref="ConfigurationProvider.GetChildKeys"/> scans every key of the layer on each call, so reading a section
/// of n keys child by child cost n² (40,000 resource attributes took tens of seconds); with this index listing a
/// section's children costs what the section holds. It also remembers, per path, what set it (an <c>APP__</c>
/// variable, a flag), so that messages can name it in the user's own spelling.
/// </summary>
internal sealed class ChildKeyIndex
{
    private readonly List<string> _root = [];
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> _origins = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="keys">The layer's keys, each with what set it (null when the layer is the file).</param>
    public ChildKeyIndex(IEnumerable<(string Key, string? Origin)> keys)
    {
        foreach (var (key, origin) in keys)
        {
            var start = 0;
            while (start <= key.Length)
            {
                var colon = key.IndexOf(ConfigurationPath.KeyDelimiter, start, StringComparison.Ordinal);
                var end = colon < 0 ? key.Length : colon;
                var path = key[..end];
                if (_origins.TryAdd(path, origin))
                {
                    var segment = key[start..end];
                    if (start == 0)
                    {
                        _root.Add(segment);
                    }
                    else
                    {
                        var parent = key[..(start - 1)];
                        if (!_children.TryGetValue(parent, out var siblings))
                        {
                            _children[parent] = siblings = [];
                        }

                        siblings.Add(segment);
                    }
                }

                if (colon < 0)
                {
                    break;
                }

                start = colon + 1;
            }
        }
    }

    /// <summary>What <see cref="ConfigurationProvider.GetChildKeys"/> returns, from the index.</summary>
    public IEnumerable<string> ChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var own = parentPath is null ? _root : _children.GetValueOrDefault(parentPath);
        var keys = own is null ? [] : new List<string>(own);
        keys.AddRange(earlierKeys);
        keys.Sort(ConfigurationKeyComparer.Instance);
        return keys;
    }

    /// <summary>Whether this layer sets <paramref name="path"/> or a key below it.</summary>
    public bool Contains(string path) => _origins.ContainsKey(path);

    /// <summary>What set <paramref name="path"/> (or the first key below it), or null.</summary>
    public string? OriginOf(string path) => _origins.GetValueOrDefault(path);

    /// <summary>
    /// What set <paramref name="path"/> in the highest layer that has it (<c>APP__TRACING__SAMPLR</c>), or null when
    /// that is the file, or a layer that does not keep an index.
    /// </summary>
    public static string? OriginOf(IConfigurationRoot root, string path)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider is IIndexedConfigurationProvider { Index: var index } && index.Contains(path))
            {
                return index.OriginOf(path);
            }
        }

        return null;
    }
}
