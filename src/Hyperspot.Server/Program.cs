// Hyperspot.NET server, in four steps:
//   1. parse the command line            (Cli/ServerCommandLine)
//   2. load the layered configuration    (Configuration/: defaults < YAML < OTEL_* < APP__ < --section:key=value)
//   3. build the host with its modules   (Hosting/HyperspotApplication: Logging/, Telemetry/, modules)
//   4. run it until SIGTERM/Ctrl-C, then stop modules and flush spans
using Hyperspot.Modules;
using Hyperspot.Server.Cli;
using Hyperspot.Modules.ModuleKit;

return await ServerCommandLine.InvokeAsync(args, ShippedModules.All);

/// <summary>The entry point type, public so tests can host the server with WebApplicationFactory.</summary>
public partial class Program;
