namespace Hyperspot.Server.Configuration;

/// <summary>
/// Raised when the configuration cannot be used. <see cref="Errors"/> holds one line per problem,
/// each naming the config path (or file) and what is wrong; none of them contains a secret value.
/// </summary>
public sealed class ConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
