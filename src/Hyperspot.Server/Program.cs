// Hyperspot.NET server:
//   1. the command line parses the arguments            (Cli/ServerCommandLine: run, check, --print-config, ...)
//   2. the application builder is the composition root  (Hosting/HyperspotApplication):
//      it loads and validates the layered configuration (Configuration/: defaults < YAML < OTEL_* < APP__ < --section:key=value),
//      registers logging, tracing and the modules (Logging/, Telemetry/, Hosting/) and builds the app
//   3. the app runs until SIGTERM/Ctrl-C, then stops the modules and flushes the spans
using Hyperspot.Modules;
using Hyperspot.Server.Cli;

return await ServerCommandLine.InvokeAsync(args, ShippedModules.All);

/// <summary>The entry point type, public so tests can host the server with WebApplicationFactory.</summary>
public partial class Program;
