using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The configuration as the server will use it (defaults filled in), recorded key by key while the
/// settings are read, in the order the keys are documented. Secret values are stored already masked,
/// so nothing read from here can leak them.
/// </summary>
public sealed class EffectiveConfiguration
{
    private readonly OrderedDictionary<string, object?> _root = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, object?> Root => _root;

    public void Record(IReadOnlyList<string> segments, object? value)
    {
        var node = _root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            if (!node.TryGetValue(segments[i], out var child) || child is not OrderedDictionary<string, object?> childNode)
            {
                childNode = new OrderedDictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                node[segments[i]] = childNode;
            }

            node = childNode;
        }

        node[segments[^1]] = Mask(string.Join('.', segments), value);
    }

    /// <summary>Records an empty section so that it still shows (<c>headers: {}</c>).</summary>
    public void RecordEmptySection(IReadOnlyList<string> segments) =>
        Record(segments, new OrderedDictionary<string, object?>(StringComparer.OrdinalIgnoreCase));

    private static object? Mask(string path, object? value) => value switch
    {
        string text when SecretRedactor.IsSecretPath(path) && text.Length > 0 => SecretRedactor.Mask,
        string text => SecretRedactor.RedactUrlCredentialsInValue(text),
        IEnumerable<string> items when SecretRedactor.IsSecretPath(path) => items.Select(_ => SecretRedactor.Mask).ToList(),
        IEnumerable<string> items => items.Select(SecretRedactor.RedactUrlCredentialsInValue).ToList(),
        int or long or double when SecretRedactor.IsSecretLeaf(path) => SecretRedactor.Mask,
        _ => value,
    };
}
