using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The <c>APP__</c> environment variables as a configuration layer: <c>APP__TRACING__SAMPLER__RATIO</c> is
/// <c>tracing:sampler:ratio</c>. Keys are case-insensitive but variable names are not, so <c>APP__SERVER__PORT</c>
/// and <c>app__server__port</c> may both be set; the environment has no order to pick one by, so each such pair is a
/// <see cref="Provider.Conflicts">conflict</see>, reported with the other configuration errors.
/// </summary>
public sealed class AppVariablesSource(IDictionary environment) : IConfigurationSource
{
    public const string Prefix = "APP__";

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(environment);

    internal sealed class Provider(IDictionary environment) : IndexedConfigurationProvider
    {
        private Dictionary<string, string> _setBy = [];

        /// <summary>Each key set by two variables: its path (<c>server.port</c>) and the message naming both.</summary>
        public IReadOnlyList<(string Path, string Message)> Conflicts { get; private set; } = [];

        /// <summary>The variable a key came from: <c>APP__TRACING__SAMPLR</c> for <c>tracing:SAMPLR</c>.</summary>
        protected override string? OriginOf(string key) => _setBy.GetValueOrDefault(key);

        protected override void LoadData()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var setBy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var conflicts = new List<(string, string)>();
            foreach (var (variable, value) in Variables(environment).OrderBy(v => v.Name, StringComparer.Ordinal))
            {
                var key = variable[Prefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                if (setBy.TryGetValue(key, out var first))
                {
                    conflicts.Add((key.Replace(ConfigurationPath.KeyDelimiter, ".", StringComparison.Ordinal).ToLowerInvariant(),
                        $"set by two environment variables, {first} and {variable}; unset one"));
                    continue;
                }

                setBy[key] = variable;
                data[key] = value;
            }

            Data = data;
            Conflicts = conflicts;
            _setBy = setBy;
        }

        internal static IEnumerable<(string Name, string? Value)> Variables(IDictionary environment)
        {
            foreach (DictionaryEntry entry in environment)
            {
                var name = (string)entry.Key;
                if (name.Length > Prefix.Length && name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                {
                    yield return (name, entry.Value as string);
                }
            }
        }
    }
}
