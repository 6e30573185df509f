using System.Collections;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Reload;

/// <summary>
/// The configuration a server runs with, flattened for comparison: every effective key (<c>tracing.sampler.strategy</c>)
/// with its shown value (secrets masked, lists as <c>[a, b]</c>), and the layered keys as configured. The configured
/// keys catch a change the shown values hide: a new exporter header token shows as the same mask.
/// </summary>
public sealed class ConfigurationSnapshot
{
    private ConfigurationSnapshot(IReadOnlyDictionary<string, string> shown, IReadOnlyDictionary<string, string?> configured)
    {
        (Shown, Configured) = (shown, configured);
    }

    public IReadOnlyDictionary<string, string> Shown { get; }

    public IReadOnlyDictionary<string, string?> Configured { get; }

    public static ConfigurationSnapshot Of(HyperspotSettings settings)
    {
        var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Flatten(settings.Effective.Root, "", shown);
        var configured = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings.Configuration.AsEnumerable())
        {
            configured[key.Replace(':', '.')] = value;
        }

        return new ConfigurationSnapshot(shown, configured);
    }

    /// <summary>What changes from this configuration to <paramref name="next"/>, in key order.</summary>
    public IReadOnlyList<KeyChange> ChangesTo(ConfigurationSnapshot next)
    {
        var changes = new SortedDictionary<string, KeyChange>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in Shown.Keys.Union(next.Shown.Keys, StringComparer.OrdinalIgnoreCase))
        {
            var (old, @new) = (Shown.GetValueOrDefault(key), next.Shown.GetValueOrDefault(key));
            if (!string.Equals(old, @new, StringComparison.Ordinal))
            {
                changes[key] = new KeyChange(key, old, @new);
            }
        }

        // A configured value that changed under a value shown masked: the mask is the same, the secret is not.
        foreach (var key in Configured.Keys.Union(next.Configured.Keys, StringComparer.OrdinalIgnoreCase))
        {
            if (string.Equals(Configured.GetValueOrDefault(key), next.Configured.GetValueOrDefault(key), StringComparison.Ordinal)
                || ShownKeyOf(key, next) is not { } shownKey
                || changes.ContainsKey(shownKey))
            {
                continue;
            }

            var (old, @new) = (Shown.GetValueOrDefault(shownKey), next.Shown.GetValueOrDefault(shownKey));
            if ((old ?? "").Contains(SecretRedactor.Mask, StringComparison.Ordinal) || (@new ?? "").Contains(SecretRedactor.Mask, StringComparison.Ordinal))
            {
                changes[shownKey] = new KeyChange(shownKey, old, @new);
            }
        }

        return [.. changes.Values];
    }

    /// <summary>This configuration with the changes the running server took (<see cref="KeyChange.NeedsRestart"/> false).</summary>
    public ConfigurationSnapshot With(IEnumerable<KeyChange> applied)
    {
        var shown = new Dictionary<string, string>(Shown, StringComparer.OrdinalIgnoreCase);
        foreach (var change in applied.Where(c => !c.NeedsRestart))
        {
            if (change.New is null)
            {
                shown.Remove(change.Key);
            }
            else
            {
                shown[change.Key] = change.New;
            }
        }

        return new ConfigurationSnapshot(shown, Configured);
    }

    /// <summary>The shown key a configured key is part of: itself, or the list it is an item of (<c>record_headers.0</c>).</summary>
    private string? ShownKeyOf(string configured, ConfigurationSnapshot next)
    {
        for (var key = configured; key.Length > 0; key = key.LastIndexOf('.') is var dot and > 0 ? key[..dot] : "")
        {
            if (Shown.ContainsKey(key) || next.Shown.ContainsKey(key))
            {
                return key;
            }
        }

        return null;
    }

    private static void Flatten(IReadOnlyDictionary<string, object?> node, string prefix, Dictionary<string, string> into)
    {
        foreach (var (key, value) in node)
        {
            var path = prefix + key;
            switch (value)
            {
                case IReadOnlyDictionary<string, object?> section:
                    Flatten(section, path + ".", into);
                    break;
                case string text:
                    into[path] = text;
                    break;
                case IEnumerable items:
                    into[path] = "[" + string.Join(", ", items.Cast<object?>()) + "]";
                    break;
                case bool flag:
                    into[path] = flag ? "true" : "false";
                    break;
                case IFormattable number:
                    into[path] = number.ToString(null, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case not null:
                    into[path] = value.ToString() ?? "";
                    break;
            }
        }
    }
}
