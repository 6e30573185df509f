namespace Hyperspot.Server.Configuration;

/// <summary>
/// Collects every problem found while loading and validating the configuration, so that
/// <c>check</c> can report all of them at once. Each entry is one line naming the config path.
/// Past <see cref="ConfigurationLimits.MaxReportedErrors"/> problems are only counted, in one closing line.
/// </summary>
public sealed class ConfigurationErrors
{
    private readonly List<string> _errors = [];
    private int _notShown;

    public IReadOnlyList<string> All => _notShown == 0
        ? _errors
        : [.. _errors, $"{ConfigurationLimits.Format(_notShown)} more problems are not shown (the first {ConfigurationLimits.MaxReportedErrors} are above)"];

    public bool Any => Count > 0;

    /// <summary>Every problem found, shown or not.</summary>
    public int Count => _errors.Count + _notShown;

    public void Add(string path, string message)
    {
        if (_errors.Count < ConfigurationLimits.MaxReportedErrors)
        {
            _errors.Add($"{path}: {message}");
        }
        else
        {
            _notShown++;
        }
    }
}
