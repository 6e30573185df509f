using Hyperspot.Modules;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Cli;

namespace Hyperspot.Server.Tests.Cli;

/// <summary>One in-process run of the real command line, with what it wrote to stdout and stderr.</summary>
public sealed record CommandLineRun(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static async Task<CommandLineRun> Of(string[] args, IReadOnlyList<IModule>? modules = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await new ServerCommandLine(modules ?? ShippedModules.All, output, error).InvokeAsync(args);
        return new CommandLineRun(exitCode, output.ToString(), error.ToString());
    }
}
