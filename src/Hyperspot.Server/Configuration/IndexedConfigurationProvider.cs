using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>A configuration layer that lists children through a <see cref="ChildKeyIndex"/>.</summary>
internal interface IIndexedConfigurationProvider
{
    ChildKeyIndex Index { get; }
}

/// <summary>A configuration layer held in memory, indexed; <see cref="OriginOf"/> says what set each key.</summary>
internal abstract class IndexedConfigurationProvider : ConfigurationProvider, IIndexedConfigurationProvider
{
    private ChildKeyIndex? _index;

    public ChildKeyIndex Index => _index ??= new ChildKeyIndex(Data.Keys.Select(key => (key, OriginOf(key))));

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
        Index.ChildKeys(earlierKeys, parentPath);

    public override void Set(string key, string? value)
    {
        base.Set(key, value);
        _index = null;
    }

    public override void Load()
    {
        LoadData();
        _index = null;
    }

    /// <summary>Fills <see cref="ConfigurationProvider.Data"/>.</summary>
    protected abstract void LoadData();

    protected virtual string? OriginOf(string key) => null;
}
