using System.CommandLine;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Hosting;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Telemetry.ExporterCheck;
using Microsoft.Extensions.Hosting;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Cli;

/// <summary>
/// The command line: <c>run</c> (the default) and <c>check</c> (with <c>--exporter</c>, a test export), and the
/// <see cref="CommandLineOptions"/>, <c>--version</c>, <c>--help</c> and the configuration overrides
/// <c>--section:key=value</c> (<see cref="ConfigurationOverrides"/>). It only parses and reports: the configuration is
/// loaded, validated and built into the server by <see cref="HyperspotApplication"/>, through the same path for every
/// command, so <c>check</c> and <c>--print-config</c> cannot disagree with <c>run</c>. Signals are left to the host's
/// lifetime, so a SIGTERM stops the server gracefully and lets it flush its spans; the parser's own termination
/// timeout is off.
/// </summary>
public sealed class ServerCommandLine
{
    private readonly IReadOnlyList<IModule> _modules;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly CommandLineOptions _options = new();

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
        _options.AddTo(root);

        var run = new Command("run", "Run the server (the default)") { TreatUnmatchedTokensAsErrors = false };
        var check = new Command("check", "Load and validate the configuration, then exit (0: valid, 2: invalid); it can also send a test span through the exporter (see check --help)") { _options.Exporter };
        root.Subcommands.Add(run);
        root.Subcommands.Add(check);
        root.SetAction(RunAsync);
        run.SetAction(RunAsync);
        check.SetAction(CheckAsync);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            ReportErrors(parsed.Errors.Select(error => error.Message));
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
        if (!TryParse(parsed, out var arguments) || !TryLoad(arguments, out var settings))
        {
            return ExitCodes.InvalidConfiguration;
        }

        _output.WriteLine("Configuration is valid");
        if (!parsed.GetValue(_options.Exporter))
        {
            return ExitCodes.Ok;
        }

        // 1 (not 2): the configuration is valid, but the backend did not accept the test span, or none would be sent.
        return await ExporterChecker.RunAsync(settings, _output) == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        if (!TryParse(parsed, out var arguments))
        {
            return ExitCodes.InvalidConfiguration;
        }

        if (parsed.GetValue(_options.PrintConfig) || parsed.GetValue(_options.ListModules))
        {
            if (!TryLoad(arguments, out var settings))
            {
                return ExitCodes.InvalidConfiguration;
            }

            if (parsed.GetValue(_options.PrintConfig))
            {
                _output.Write(ConfigurationPrinter.ToYaml(settings.Effective));
            }
            else
            {
                ListModules(settings);
            }

            return ExitCodes.Ok;
        }

        try
        {
            await using var app = HyperspotApplication.Build(arguments, _modules);
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
            _error.WriteLine($"error: the server failed: {ControlCharacters.EscapeControls(SecretRedactor.RedactUrlCredentials(ex.Message.ReplaceLineEndings(" ")))}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The application builder's arguments; false, with the errors reported, for an unknown argument.</summary>
    private bool TryParse(ParseResult parsed, out HyperspotArguments arguments)
    {
        var overrides = ConfigurationOverrides.Split(parsed.UnmatchedTokens);
        arguments = _options.Arguments(parsed, overrides.Overrides);
        ReportErrors(overrides.Errors);
        return overrides.Errors.Count == 0;
    }

    /// <summary>The settings <c>run</c> would start with, loaded by the application builder.</summary>
    private bool TryLoad(HyperspotArguments arguments, out HyperspotSettings settings)
    {
        try
        {
            settings = HyperspotApplication.LoadSettings(arguments, _modules);
            return true;
        }
        catch (ConfigurationException ex)
        {
            settings = new HyperspotSettings();
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
            _error.WriteLine($"error: {ControlCharacters.EscapeControls(error)}");
        }
    }
}
