using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The <c>--section:key=value</c> overrides as the highest configuration layer. A key given twice takes its last
/// value, as repeated options do; messages name a key by the flag that set it.
/// </summary>
internal sealed class CommandLineSource(IEnumerable<KeyValuePair<string, string?>> settings) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(settings);

    private sealed class Provider(IEnumerable<KeyValuePair<string, string?>> settings) : IndexedConfigurationProvider
    {
        protected override void LoadData()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in settings)
            {
                data[key] = value;
            }

            Data = data;
        }

        protected override string? OriginOf(string key) => "--" + key;
    }
}
