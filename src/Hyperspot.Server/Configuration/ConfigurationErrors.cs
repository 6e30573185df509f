namespace Hyperspot.Server.Configuration;

/// <summary>
/// Collects every problem found while loading and validating the configuration, so that
/// <c>check</c> can report all of them at once. Each entry is one line naming the config path.
/// </summary>
public sealed class ConfigurationErrors
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> All => _errors;

    public bool Any => _errors.Count > 0;

    public void Add(string path, string message) => _errors.Add($"{path}: {message}");

    public void AddLine(string line) => _errors.Add(line);
}
