// docs/TRACING.md, "Registering a module", "Endpoints left out of the trace" and "Request ids", verbatim.
using Hyperspot.Modules;
using Hyperspot.Modules.Examples;
using Hyperspot.Modules.Health;
using Hyperspot.Server.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MyCompany.Greetings;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Docs.Tests.Snippets;

/// <summary>The registration list of ShippedModules.cs with the documented module added.</summary>
public static class ShippedModulesWithGreetings
{
    public static IReadOnlyList<IModule> All => [new SystemModule(), new ExamplesModule(), new GreetingsModule()];
}

/// <summary>The Program.cs of a host of your own.</summary>
public static class ProgramSnippet
{
    public static async Task<int> RunAsync(string[] args)
    {
        return await ServerCommandLine.InvokeAsync(args, [.. ShippedModules.All, new GreetingsModule()]);
    }
}

/// <summary>A module whose endpoint answers with the request id.</summary>
public sealed class WhoAmIModule : IModule
{
    public string Name => "whoami";

    public void MapEndpoints(ModuleEndpointContext context)
    {
        context.Api.MapGet("/whoami", (HttpContext http) => Results.Ok(new { request_id = http.GetRequestId() }));
    }
}

/// <summary>A module with a readiness probe left out of the trace.</summary>
public sealed class ReadinessModule : IModule
{
    public string Name => "readiness";

    public void MapEndpoints(ModuleEndpointContext context)
    {
        context.Api.MapGet("/ready", () => Results.Text("ready")).WithoutTracing();
    }
}
