using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Anchors and aliases: what each anchored node expands to (keys and list items, characters, depth), so that an alias
/// counts against the limits as if its node were written out again, and a recursive or dangling alias is refused.
/// </summary>
internal sealed partial class YamlStructureCheck
{
    /// <summary>Anchors of the current document: what each expands to, or null while its node is still open.</summary>
    private readonly Dictionary<string, Expansion?> _anchors = new(StringComparer.Ordinal);

    private int _aliases;

    private void Alias(AnchorAlias alias, Place place)
    {
        if (++_aliases > ConfigurationLimits.MaxAliases)
        {
            Fail(alias.Start, $"more than {ConfigurationLimits.Format(ConfigurationLimits.MaxAliases)} aliases (the limit)");
        }

        if (!_anchors.TryGetValue(alias.Value.Value, out var expansion))
        {
            Fail(alias.Start, $"malformed YAML: the alias *{Shown(alias.Value.Value)} names no anchor defined before it");
        }

        if (expansion is null)
        {
            Fail(alias.Start, $"the alias *{Shown(alias.Value.Value)} is inside the node it names (a recursive alias)");
        }

        if (place == Place.Key)
        {
            if (expansion.Scalar is null)
            {
                Fail(alias.Start, "a key must be a plain value, not a mapping or a list");
            }

            CheckKey(expansion.Scalar, plain: false, alias.Start);
        }

        if (_frames.Count + expansion.Height > ConfigurationLimits.MaxDepth)
        {
            Fail(alias.Start, $"nested deeper than {ConfigurationLimits.MaxDepth} levels (the limit) once the alias *{Shown(alias.Value.Value)} is expanded");
        }

        Count(place, expansion.Entries, expansion.Characters, alias.Start, throughAlias: true);
        Completed(expansion.Height);
    }

    private void Remember(AnchorName anchor, Expansion expansion)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = expansion;
        }
    }

    /// <summary>What an anchored node adds wherever an alias repeats it.</summary>
    private sealed record Expansion(long Entries, long Characters, int Height, string? Scalar);
}
