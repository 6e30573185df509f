using System.CommandLine;
using Hyperspot.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Cli;

/// <summary>
/// The options of the command line, recognised before and after the subcommand, and how they become the
/// application builder's <see cref="HyperspotArguments"/>.
/// </summary>
public sealed class CommandLineOptions
{
    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = "The YAML configuration file (without it the server runs on defaults and APP__ variables)",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Console log level debug", Recursive = true };

    public Option<bool> VeryVerbose { get; } = new("-vv") { Description = "Console log level trace", Recursive = true };

    public Option<bool> PrintConfig { get; } = new("--print-config")
    {
        Description = "Print the effective configuration as YAML (secrets redacted) and exit",
        Recursive = true,
    };

    public Option<bool> ListModules { get; } = new("--list-modules") { Description = "List the modules and whether they are enabled, and exit", Recursive = true };

    public Option<bool> Exporter { get; } = new("--exporter")
    {
        Description = "Also send a test span (and log record) through the configured exporter and report the backend's answer (0: accepted, 1: not)",
    };

    public Option<string?> Environment { get; } = new("--environment")
    {
        Description = "The host environment name modules see (default Production), as in any ASP.NET Core app",
        HelpName = "NAME",
        Recursive = true,
    };

    public Option<DirectoryInfo> ContentRoot { get; } = new Option<DirectoryInfo>("--contentRoot")
    {
        Description = "The host's content root directory (default: the current directory), as in any ASP.NET Core app",
        HelpName = "DIR",
        Recursive = true,
    }.AcceptExistingOnly();

    public Option<string?> ApplicationName { get; } = new("--applicationName")
    {
        Description = "The host's application name (default Hyperspot.Server), as in any ASP.NET Core app",
        HelpName = "NAME",
        Recursive = true,
    };

    /// <summary>The options every command accepts, added to the root command.</summary>
    public void AddTo(RootCommand root)
    {
        foreach (var option in new Option[] { Config, Verbose, VeryVerbose, PrintConfig, ListModules, Environment, ContentRoot, ApplicationName })
        {
            root.Options.Add(option);
        }
    }

    /// <summary>What the application builder needs from the parsed command line and its configuration overrides.</summary>
    public HyperspotArguments Arguments(ParseResult parsed, IReadOnlyList<KeyValuePair<string, string?>> overrides) => new()
    {
        ConfigPath = parsed.GetValue(Config),
        Overrides = overrides,
        Verbosity = parsed.GetValue(VeryVerbose) ? LogLevel.Trace : parsed.GetValue(Verbose) ? LogLevel.Debug : null,
        EnvironmentName = parsed.GetValue(Environment),
        ContentRootPath = parsed.GetValue(ContentRoot)?.FullName,
        ApplicationName = parsed.GetValue(ApplicationName),
    };
}
