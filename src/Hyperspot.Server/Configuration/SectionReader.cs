using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Reads the keys of one configuration section. Every accessor records the key as known, validates the
/// value (errors name the full dotted path and the bad value) and falls back to the documented default.
/// </summary>
public sealed class SectionReader
{
    private readonly SettingsReader _owner;
    private readonly IConfigurationSection _section;
    private readonly IReadOnlyList<string> _segments;
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);

    internal SectionReader(SettingsReader owner, IConfigurationSection section, IReadOnlyList<string> segments)
    {
        _owner = owner;
        _section = section;
        _segments = segments;
        if (!string.IsNullOrEmpty(section.Value) && section.GetChildren().Any() is false)
        {
            owner.Errors.Add(Path, $"must be a section of keys (got '{Shown(Path, section.Value)}')");
        }
    }

    /// <summary>The dotted path users see, e.g. <c>tracing.sampler</c>.</summary>
    public string Path => string.Join('.', _segments);

    public bool Exists => _section.GetChildren().Any();

    public ConfigurationErrors Errors => _owner.Errors;

    public string PathOf(string key) => Path + "." + key;

    public SectionReader Section(string key)
    {
        _known.Add(key);
        return new SectionReader(_owner, _section.GetSection(key), [.. _segments, key]);
    }

    public string String(string key, string defaultValue)
    {
        // An explicit empty string is a value ("" turns the log file or request ids off), not a missing key.
        var value = Scalar(key) ?? (_section.GetSection(key).Value is "" ? "" : defaultValue);
        Record(key, value);
        return value;
    }

    public bool Bool(string key, bool defaultValue)
    {
        var raw = Scalar(key);
        var value = defaultValue;
        if (raw is not null && !bool.TryParse(raw.Trim(), out value))
        {
            Errors.Add(PathOf(key), $"must be true or false (got '{Shown(PathOf(key), raw)}')");
            value = defaultValue;
        }

        Record(key, value);
        return value;
    }

    public int Int(string key, int defaultValue, int min, int max)
    {
        var raw = Scalar(key);
        var value = defaultValue;
        if (raw is not null)
        {
            if (!int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
            {
                Errors.Add(PathOf(key), $"must be a whole number (got '{Shown(PathOf(key), raw)}')");
                value = defaultValue;
            }
            else if (value < min || value > max)
            {
                Errors.Add(PathOf(key), $"must be between {min} and {max} (got {value})");
                value = defaultValue;
            }
        }

        Record(key, value);
        return value;
    }

    public double? Double(string key, double? defaultValue, double min, double max)
    {
        var raw = Scalar(key);
        var value = defaultValue;
        if (raw is not null)
        {
            if (!double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed))
            {
                Errors.Add(PathOf(key), $"must be a number (got '{Shown(PathOf(key), raw)}')");
            }
            else if (parsed < min || parsed > max)
            {
                Errors.Add(PathOf(key), $"must be between {Format(min)} and {Format(max)} (got {Format(parsed)})");
            }
            else
            {
                value = parsed;
            }
        }

        if (value is not null)
        {
            Record(key, value.Value);
        }

        return value;
    }

    /// <summary>A value from a fixed set; <paramref name="names"/> lists the canonical names first, aliases after.</summary>
    public T Choice<T>(string key, T defaultValue, IReadOnlyList<(string Name, T Value)> names, int canonicalCount = int.MaxValue)
    {
        var raw = Scalar(key);
        var value = defaultValue;
        if (raw is not null)
        {
            var match = names.FirstOrDefault(n => n.Name.Equals(raw.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match.Name is null)
            {
                var accepted = string.Join(", ", names.Take(canonicalCount).Select(n => n.Name));
                if (names.Count > canonicalCount)
                {
                    accepted += "; also " + string.Join(", ", names.Skip(canonicalCount).Select(n => n.Name));
                }
                Errors.Add(PathOf(key), $"unknown value '{Shown(PathOf(key), raw)}' (accepted: {accepted})");
            }
            else
            {
                value = match.Value;
            }
        }

        Record(key, names.First(n => EqualityComparer<T>.Default.Equals(n.Value, value)).Name);
        return value;
    }

    /// <summary>
    /// A list of strings. The highest configuration layer that sets the list replaces it whole (a shorter list in
    /// a later layer does not keep the tail of an earlier one). A plain value is read as a comma-separated list,
    /// so <c>APP__TRACING__HTTP__RECORD_HEADERS=user-agent,x-forwarded-for</c> works.
    /// </summary>
    public IReadOnlyList<string> List(string key, IReadOnlyList<string> defaultValue)
    {
        _known.Add(key);
        var value = LayeredList(key) ?? defaultValue;
        Record(key, value.ToList());
        return value;
    }

    /// <summary>
    /// The list under <paramref name="key"/> as the highest configuration layer that sets it has it (see <see cref="List"/>),
    /// or null when no layer sets it. Non-index keys under the list are reported as errors.
    /// </summary>
    internal IReadOnlyList<string>? LayeredList(string key)
    {
        var path = ConfigurationPath.Combine(_section.Path, key);
        foreach (var provider in _owner.Root.Providers.Reverse())
        {
            var indexes = provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (indexes.Count > 0)
            {
                var items = new List<string>();
                foreach (var index in indexes.OrderBy(i => int.TryParse(i, out var n) ? n : int.MaxValue))
                {
                    if (!int.TryParse(index, out _))
                    {
                        Errors.Add(PathOf(key), $"must be a list of values (found key '{index}')");
                        continue;
                    }

                    if (provider.TryGet(ConfigurationPath.Combine(path, index), out var item) && item is not null)
                    {
                        items.Add(item);
                    }
                }

                return items;
            }

            if (provider.TryGet(path, out var scalar) && scalar is not null)
            {
                return scalar.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }

        return null;
    }

    /// <summary>A free-form map of string keys to string values (headers, resource attributes).</summary>
    public IReadOnlyDictionary<string, string> Map(string key)
    {
        var section = Section(key);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section._section.GetChildren())
        {
            if (child.GetChildren().Any())
            {
                Errors.Add(section.PathOf(child.Key), "must be a plain value, not a section");
                continue;
            }

            map[child.Key] = child.Value ?? "";
            section.Record(child.Key, child.Value ?? "");
        }

        if (map.Count == 0)
        {
            _owner.Effective.RecordEmptySection([.. _segments, key]);
        }

        return map;
    }

    /// <summary>The keys of this section that no accessor has read yet.</summary>
    public IEnumerable<string> UnreadKeys() =>
        _section.GetChildren().Select(c => c.Key).Where(k => !_known.Contains(k)).ToList();

    /// <summary>Marks a key as known without reading it (it is read elsewhere).</summary>
    public void Accept(string key) => _known.Add(key);

    /// <summary>The raw configuration section, for binding a module's own options.</summary>
    public IConfigurationSection Raw => _section;

    public IReadOnlyList<string> Segments => _segments;

    /// <summary>
    /// The path of a key that is not valid here, as the user wrote it: from an <c>APP__</c> variable or a flag, the
    /// dotted path in lower case and what set it (<c>tracing.samplr (from APP__TRACING__SAMPLR)</c>).
    /// </summary>
    public string UnknownKeyPath(string key) => _owner.UnknownPath(Path, ConfigurationPath.Combine(_section.Path, key), key);

    /// <summary>Whether the highest layer that sets <paramref name="configurationPath"/> is an <c>APP__</c> variable or a flag.</summary>
    internal bool IsFromOverride(string configurationPath) => ChildKeyIndex.OriginOf(_owner.Root, configurationPath) is not null;

    /// <summary>Reports every key of this section that no accessor has read, naming the closest valid key.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var key in UnreadKeys())
        {
            var suggestion = KeySuggestion.Closest(key, _known);
            var hint = suggestion is null
                ? $"valid keys: {string.Join(", ", _known.Order(StringComparer.Ordinal))}"
                : $"did you mean '{suggestion}'?";
            Errors.Add(UnknownKeyPath(key), $"unknown key ({hint})");
        }
    }

    private string? Scalar(string key)
    {
        _known.Add(key);
        var child = _section.GetSection(key);
        if (child.GetChildren().Any())
        {
            Errors.Add(PathOf(key), "must be a single value, not a section or list");
            return null;
        }

        return child.Value is { Length: > 0 } value ? value : null;
    }

    public void Record(string key, object? value) => _owner.Effective.Record([.. _segments, key], value);

    private static string Format(double value) => value.ToString("0.###############", CultureInfo.InvariantCulture);

    /// <summary>A bad value as it may be shown in an error: never a secret, never more than one short line.</summary>
    internal static string Shown(string path, string raw) => ShownValue.Of(path, raw);
}
