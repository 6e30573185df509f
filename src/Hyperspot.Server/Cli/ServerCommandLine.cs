using System.CommandLine;
using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Hosting;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Telemetry.ExporterCheck;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Cli;

/// <summary>
/// The command line: <c>run</c> (the default) and <c>check</c> (with <c>--exporter</c>, a test export), <c>--config</c>/<c>-c</c>, <c>-v</c>/<c>-vv</c>,
/// <c>--print-config</c>, <c>--list-modules</c>, <c>--version</c>, <c>--help</c>. Options work before and after the
/// subcommand. Signals are left to the host's lifetime, so a SIGTERM stops the server gracefully and lets it
/// flush its spans; the parser's own termination timeout is off.
/// </summary>
public sealed class ServerCommandLine
{
    private readonly IReadOnlyList<IModule> _modules;
    private readonly TextWriter _output;
    private readonly TextWriter _error;

    private readonly Option<string?> _config = new("--config", "-c")
    {
        Description = "The YAML configuration file (without it the server runs on defaults and APP__ variables)",
        Recursive = true,
    };

    private readonly Option<bool> _verbose = new("--verbose", "-v") { Description = "Console log level debug", Recursive = true };
    private readonly Option<bool> _veryVerbose = new("-vv") { Description = "Console log level trace", Recursive = true };
    private readonly Option<bool> _printConfig = new("--print-config")
    {
        Description = "Print the effective configuration as YAML (secrets redacted) and exit",
        Recursive = true,
    };

    private readonly Option<bool> _exporter = new("--exporter")
    {
        Description = "Also send a test span (and log record) through the configured exporter and report the backend's answer (0: accepted, 1: not)",
    };

    private readonly Option<bool> _listModules = new("--list-modules") { Description = "List the modules and whether they are enabled, and exit", Recursive = true };

    public ServerCommandLine(IReadOnlyList<IModule> modules, TextWriter? output = null, TextWriter? error = null)
    {
        _modules = modules;
        _output = output ?? Console.Out;
        _error = error ?? Console.Error;
    }

    public static Task<int> InvokeAsync(string[] args, IReadOnlyList<IModule> modules) =>
        new ServerCommandLine(modules).InvokeAsync(args);

    public Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("Hyperspot.NET: an HTTP API server host with first-class OpenTelemetry tracing.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Options.Add(_config);
        root.Options.Add(_verbose);
        root.Options.Add(_veryVerbose);
        root.Options.Add(_printConfig);
        root.Options.Add(_listModules);

        var run = new Command("run", "Run the server (the default)") { TreatUnmatchedTokensAsErrors = false };
        var check = new Command("check", "Load and validate the configuration, then exit (0: valid, 2: invalid); it can also send a test span through the exporter (see check --help)") { _exporter };
        root.Subcommands.Add(run);
        root.Subcommands.Add(check);
        root.SetAction(RunAsync);
        run.SetAction(RunAsync);
        check.SetAction(CheckAsync);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                _error.WriteLine($"error: {LogText.EscapeControls(error.Message)}");
            }

            return Task.FromResult(ExitCodes.InvalidConfiguration);
        }

        return parsed.InvokeAsync(new InvocationConfiguration
        {
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
            Output = _output,
            Error = _error,
        });
    }

    private async Task<int> CheckAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        if (!TryLoad(parsed, out var settings, out _))
        {
            return ExitCodes.InvalidConfiguration;
        }

        _output.WriteLine("Configuration is valid");
        if (!parsed.GetValue(_exporter))
        {
            return ExitCodes.Ok;
        }

        // 1 (not 2): the configuration is valid, but the backend did not accept the test span, or none would be sent.
        return await ExporterChecker.RunAsync(settings, _output) == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        if (!TryLoad(parsed, out var settings, out var arguments))
        {
            return ExitCodes.InvalidConfiguration;
        }

        if (parsed.GetValue(_printConfig))
        {
            _output.Write(ConfigurationPrinter.ToYaml(settings.Effective));
            return ExitCodes.Ok;
        }

        if (parsed.GetValue(_listModules))
        {
            ListModules(settings);
            return ExitCodes.Ok;
        }

        try
        {
            await using var app = HyperspotApplication.Build(settings, _modules, [.. arguments.HostSettings]);
            await app.RunAsync();
            return ExitCodes.Ok;
        }
        catch (ConfigurationException ex)
        {
            ReportErrors(ex.Errors);
            return ExitCodes.InvalidConfiguration;
        }
        catch (Exception ex) when (ex is not HostAbortedException and not OperationCanceledException)
        {
            // A start-up failure (port taken, a module that fails to start): one line, no stack trace.
            _error.WriteLine($"error: the server failed: {LogText.EscapeControls(SecretRedactor.RedactUrlCredentials(ex.Message.ReplaceLineEndings(" ")))}");
            return ExitCodes.Failure;
        }
    }

    private bool TryLoad(ParseResult parsed, out HyperspotSettings settings, out HostArguments arguments)
    {
        settings = new HyperspotSettings();
        arguments = HostArguments.Split(parsed.UnmatchedTokens);
        if (arguments.Errors.Count > 0)
        {
            ReportErrors(arguments.Errors);
            return false;
        }

        try
        {
            var verbosity = parsed.GetValue(_veryVerbose) ? LogLevel.Trace : parsed.GetValue(_verbose) ? LogLevel.Debug : (LogLevel?)null;
            var configuration = ConfigurationLoader.Load(parsed.GetValue(_config), arguments.ConfigurationOverrides, Environment.GetEnvironmentVariables());
            settings = HyperspotSettings.Read(configuration, _modules, verbosity);
            ModuleOrder.Resolve(_modules, settings.Modules);
            return true;
        }
        catch (ConfigurationException ex)
        {
            ReportErrors(ex.Errors);
            return false;
        }
    }

    private void ListModules(HyperspotSettings settings)
    {
        var enabled = ModuleOrder.Resolve(_modules, settings.Modules);
        foreach (var module in enabled.Concat(_modules.Except(enabled)))
        {
            var state = settings.Modules.IsEnabled(module.Name) ? "enabled" : "disabled";
            var dependencies = module.DependsOn.Count > 0 ? $" (depends on: {string.Join(", ", module.DependsOn)})" : "";
            _output.WriteLine($"{module.Name,-16} {state}{dependencies}");
        }
    }

    private void ReportErrors(IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            // Errors quote configuration values and arguments: escaped, they cannot start a line or reach the terminal raw.
            _error.WriteLine($"error: {LogText.EscapeControls(error)}");
        }
    }
}
