using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Hosting;

/// <summary>
/// What the command line hands the application builder: where the configuration is, its command-line layer, the
/// console verbosity, and the standard ASP.NET Core host settings (<c>--environment</c>, <c>--contentRoot</c>,
/// <c>--applicationName</c>), which the host reads as any ASP.NET Core app does.
/// </summary>
public sealed record HyperspotArguments
{
    /// <summary>The YAML file (<c>--config</c>), or null to run on the defaults and the environment.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The command-line configuration layer (<c>--section:key=value</c>), the highest; later entries win.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Overrides { get; init; } = [];

    /// <summary>The console level <c>-v</c> or <c>-vv</c> asks for, or null for the configured one.</summary>
    public LogLevel? Verbosity { get; init; }

    /// <summary>The host environment name (<c>--environment</c>), or null for the host's own rule (<c>Production</c>).</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>The content root (<c>--contentRoot</c>), or null for the current directory.</summary>
    public string? ContentRootPath { get; init; }

    /// <summary>The application name (<c>--applicationName</c>), or null for the entry assembly's name.</summary>
    public string? ApplicationName { get; init; }

    /// <summary>The host settings given, as the <c>--key=value</c> arguments <c>WebApplication.CreateBuilder</c> reads.</summary>
    public string[] HostSettings() =>
    [
        .. Setting("environment", EnvironmentName),
        .. Setting("contentRoot", ContentRootPath),
        .. Setting("applicationName", ApplicationName),
    ];

    private static IEnumerable<string> Setting(string key, string? value) =>
        value is null ? [] : [$"--{key}={value}"];
}
