using System.Text;
using Microsoft.Extensions.Configuration;
using NetEscapades.Configuration.Yaml;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The configuration file's checked text as the YAML layer. NetEscapades' parser reads it from memory, never from
/// the file again (which may have changed since it was checked), and the layer lists children through a
/// <see cref="ChildKeyIndex"/>.
/// </summary>
internal sealed class YamlTextSource(string text) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(text);

    private sealed class Provider(string text) : YamlConfigurationProvider(new YamlConfigurationSource()), IIndexedConfigurationProvider
    {
        private ChildKeyIndex? _index;

        public ChildKeyIndex Index => _index ??= new ChildKeyIndex(Data.Keys.Select(key => (key, (string?)null)));

        public override void Load()
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            Load(stream);
            _index = null;
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
            Index.ChildKeys(earlierKeys, parentPath);

        public override void Set(string key, string? value)
        {
            base.Set(key, value);
            _index = null;
        }
    }
}
