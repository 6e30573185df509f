// docs/TRACING.md, "Using TracedClient": every snippet of the section, verbatim, in a context that compiles.
using System.Net.Http.Json;
using Hyperspot.Modules.ModuleKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperspot.Docs.Tests.Snippets;

public static class TracedClientSnippets
{
    public static async Task<string> CallExternalApiAsync(CancellationToken cancellationToken)
    {
        var client = TracedClient.Default;

        // The trace context is injected automatically
        using var response = await client.GetAsync("https://api.example.com/data", cancellationToken);

        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public static (TracedClient, TracedClient) Convert()
    {
        var httpClient = new HttpClient();
        var tracedClient = TracedClient.From(httpClient);

        // Or through the implicit conversion
        TracedClient alsoTraced = httpClient;

        return (tracedClient, alsoTraced);
    }

    public static async Task AdvancedAsync(object myData, CancellationToken cancellationToken)
    {
        var client = TracedClient.Default;

        // Build a request by hand
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.example.com/upload")
        {
            Content = JsonContent.Create(myData),
        };
        request.Headers.Add("x-tenant", "acme");

        // Execute it with tracing
        using var response = await client.ExecuteAsync(request, cancellationToken);

        // The wrapped HttpClient, for what TracedClient does not wrap: its calls are traced the same way
        var bytes = await client.Inner.GetByteArrayAsync("https://api.example.com/archive", cancellationToken);

        GC.KeepAlive(bytes);
    }
}

/// <summary>"With dependency injection": a module that registers TracedClient and injects it into a handler.</summary>
public sealed class DataModule : IModule
{
    public string Name => "data";

    public void ConfigureServices(ModuleServicesContext context)
    {
        context.Services.AddTracedClient()
            .ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(10));
    }

    public void MapEndpoints(ModuleEndpointContext context)
    {
        context.Api.MapGet("/data", async (TracedClient client, CancellationToken cancellationToken) =>
        {
            using var response = await client.GetAsync("https://api.example.com/data", cancellationToken);
            return Results.Content(await response.Content.ReadAsStringAsync(cancellationToken), "application/json");
        });
    }
}
