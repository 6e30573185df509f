using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// A configuration section without some of its paths, for the library's binder: a value the strict checks refused
/// (so the binder, which stops at the first value it cannot convert, binds every other key) and the lists, which are
/// taken whole from the highest layer that sets them.
/// </summary>
internal sealed class FilteredSection(IConfigurationSection inner, IReadOnlySet<string> hidden) : IConfigurationSection
{
    public string Key => inner.Key;

    public string Path => inner.Path;

    public string? Value
    {
        get => hidden.Contains(inner.Path) ? null : inner.Value;
        set => throw new NotSupportedException("The configuration is read-only here.");
    }

    public string? this[string key]
    {
        get => GetSection(key).Value;
        set => throw new NotSupportedException("The configuration is read-only here.");
    }

    public IConfigurationSection GetSection(string key) => new FilteredSection(inner.GetSection(key), hidden);

    public IEnumerable<IConfigurationSection> GetChildren() =>
        hidden.Contains(inner.Path) ? [] : inner.GetChildren().Where(c => !hidden.Contains(c.Path)).Select(c => new FilteredSection(c, hidden));

    public IChangeToken GetReloadToken() => inner.GetReloadToken();
}
