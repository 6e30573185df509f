using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// One pass over YamlDotNet's parser events (a stream, no tree, no recursion) before anything builds the
/// configuration from the text. It enforces <see cref="ConfigurationLimits"/> with aliases counted as expanded
/// (depth, keys and list items, characters), refuses what would loop or be silently misread (a recursive alias,
/// a second document, merge keys, unknown tags, keys that are not plain values or contain ':'), and stops at the
/// first problem, naming the file, line and column.
/// </summary>
internal sealed partial class YamlStructureCheck
{
    private readonly string _file;
    private readonly Stack<Frame> _frames = new();

    private Mark _readUpTo = Mark.Empty;
    private long _entries;
    private long _characters;

    private YamlStructureCheck(string file) => _file = ShownValue.EscapeControls(file);

    private enum Place
    {
        Root,
        Key,
        Value,
        Item,
    }

    /// <summary>Throws <see cref="ConfigurationException"/> unless <paramref name="text"/> is one mapping within the limits.</summary>
    public static void Run(string shownPath, string text)
    {
        var check = new YamlStructureCheck(shownPath);
        try
        {
            check.Walk(new Parser(new StringReader(text)));
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException([ConfigurationLoader.DescribeYamlFailure(shownPath, ex)]);
        }
        catch (Exception ex) when (ex is not (ConfigurationException or OutOfMemoryException))
        {
            // YamlDotNet fails on some broken text with a bare InvalidOperationException: still malformed YAML.
            check.Fail(check._readUpTo, "malformed YAML: cannot be read after this point (an unclosed '{', '[' or quote?)");
        }
    }

    private void Walk(IParser parser)
    {
        var documents = 0;
        var rootPending = false;
        var hasContent = false;
        while (parser.MoveNext())
        {
            _readUpTo = parser.Current!.End;
            switch (parser.Current)
            {
                case DocumentStart start:
                    if (++documents > ConfigurationLimits.MaxDocuments)
                    {
                        Fail(start.Start, $"more than {ConfigurationLimits.MaxDocuments} YAML documents (the limit); the configuration is one document");
                    }

                    rootPending = true;
                    _anchors.Clear();
                    break;
                case AnchorAlias alias:
                    rootPending = false;
                    Alias(alias, CurrentPlace());
                    break;
                case NodeEvent node when rootPending:
                    rootPending = false;
                    if (node is Scalar scalar && IsEmpty(scalar))
                    {
                        break;
                    }

                    if (documents > 1)
                    {
                        throw new ConfigurationException([$"config file {_file}:{node.Start.Line}: a second YAML document starts here, and only the first is read; put every section in one document (remove the '---' line before it)"]);
                    }

                    if (node is not MappingStart)
                    {
                        throw new ConfigurationException([$"config file {_file}: the top level must be a mapping of sections (server:, tracing:, logging:, modules:)"]);
                    }

                    hasContent = true;
                    Node(node);
                    break;
                case NodeEvent node:
                    Node(node);
                    break;
                case MappingEnd or SequenceEnd when _frames.Count > 0:
                    End();
                    break;
            }
        }

        if (!hasContent)
        {
            throw ConfigurationFile.Empty(_file);
        }
    }

    private void Node(NodeEvent node)
    {
        if (YamlNodeRules.TagProblem(node.Tag) is { } tagProblem)
        {
            Fail(node.Start, tagProblem);
        }

        var place = CurrentPlace();
        switch (node)
        {
            case Scalar scalar:
                if (place == Place.Key)
                {
                    CheckKey(scalar.Value, scalar.Style == ScalarStyle.Plain, scalar.Start);
                }
                else if (scalar.Value.Length > ConfigurationLimits.MaxValueLength)
                {
                    Fail(scalar.Start, $"a value of {ConfigurationLimits.Format(scalar.Value.Length)} characters: the limit is {ConfigurationLimits.Format(ConfigurationLimits.MaxValueLength)}");
                }

                Count(place, 0, scalar.Value.Length, scalar.Start, throughAlias: false);
                Remember(scalar.Anchor, new Expansion(0, scalar.Value.Length, 0, scalar.Value));
                Completed(0);
                break;
            case MappingStart or SequenceStart:
                if (place == Place.Key)
                {
                    Fail(node.Start, "a key must be a plain value, not a mapping or a list");
                }

                Count(place, 0, 0, node.Start, throughAlias: false);
                if (_frames.Count + 1 > ConfigurationLimits.MaxDepth)
                {
                    Fail(node.Start, $"nested deeper than {ConfigurationLimits.MaxDepth} levels (the limit)");
                }

                if (!node.Anchor.IsEmpty)
                {
                    _anchors[node.Anchor.Value] = null;
                }

                _frames.Push(new Frame(node is MappingStart, node.Anchor.IsEmpty ? null : node.Anchor.Value, _entries, _characters));
                break;
        }
    }

    private void End()
    {
        var frame = _frames.Pop();
        var height = frame.Height + 1;
        if (frame.Anchor is not null)
        {
            _anchors[frame.Anchor] = new Expansion(_entries - frame.EntriesAtStart, _characters - frame.CharactersAtStart, height, null);
        }

        Completed(height);
    }

    private Place CurrentPlace()
    {
        if (_frames.Count == 0)
        {
            return Place.Root;
        }

        var top = _frames.Peek();
        return !top.IsMapping ? Place.Item : top.ExpectsKey ? Place.Key : Place.Value;
    }

    /// <summary>A node of <paramref name="height"/> levels is complete: its parent grows, a mapping moves from key to value.</summary>
    private void Completed(int height)
    {
        if (_frames.TryPeek(out var parent))
        {
            parent.Height = Math.Max(parent.Height, height);
            if (parent.IsMapping)
            {
                parent.ExpectsKey = !parent.ExpectsKey;
            }
        }
    }

    private void Count(Place place, long entries, long characters, Mark at, bool throughAlias)
    {
        _entries += entries + (place is Place.Key or Place.Item ? 1 : 0);
        _characters += characters;
        if (_entries > ConfigurationLimits.MaxEntries)
        {
            Fail(at, throughAlias
                ? $"aliases expand the file to more than {ConfigurationLimits.Format(ConfigurationLimits.MaxEntries)} keys and list items (the limit)"
                : $"more than {ConfigurationLimits.Format(ConfigurationLimits.MaxEntries)} keys and list items (the limit)");
        }

        if (_characters > ConfigurationLimits.MaxExpandedCharacters)
        {
            Fail(at, $"aliases expand the keys and values to more than {ConfigurationLimits.Format(ConfigurationLimits.MaxExpandedCharacters)} characters (the limit)");
        }
    }

    private void CheckKey(string key, bool plain, Mark at)
    {
        if (YamlNodeRules.KeyProblem(key, plain) is { } problem)
        {
            Fail(at, problem);
        }

        // The configuration's keys are case-insensitive: 'port' and 'PORT' in one mapping are the same key.
        if (!_frames.Peek().Keys.Add(key))
        {
            Fail(at, $"malformed YAML: duplicate key '{Shown(key)}' (keys are case-insensitive)");
        }
    }

    private static bool IsEmpty(Scalar scalar) =>
        scalar.Value.Length == 0 || (scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" or "Null" or "NULL");

    private static string Shown(string text) => ShownValue.Of("", text);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(Mark at, string message) =>
        throw new ConfigurationException([$"config file {_file}:{at.Line}:{at.Column}: {message}"]);

    private sealed class Frame(bool isMapping, string? anchor, long entriesAtStart, long charactersAtStart)
    {
        public bool IsMapping { get; } = isMapping;

        public string? Anchor { get; } = anchor;

        public long EntriesAtStart { get; } = entriesAtStart;

        public long CharactersAtStart { get; } = charactersAtStart;

        public bool ExpectsKey { get; set; } = true;

        public HashSet<string> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>The deepest nesting of collections below this one so far.</summary>
        public int Height { get; set; }
    }
}
