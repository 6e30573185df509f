using Microsoft.Extensions.DependencyInjection;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Tests;

/// <summary>Outgoing calls carry the current request's id, unless the caller set the header itself.</summary>
[Collection(SpanCollection.Name)]
public sealed class RequestIdForwardingTests
{
    [Fact]
    public async Task Clients_of_the_factory_and_the_default_client_carry_the_current_request_id()
    {
        using var server = new LoopbackServer();
        using var services = new ServiceCollection()
            .ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new RequestIdForwardingHandler()))
            .AddTracedClient().Services
            .BuildServiceProvider();

        await ServeRequestAsync("x-correlation-id", "req-1", async () =>
        {
            (await services.GetRequiredService<TracedClient>().GetAsync(server.Url("/typed"))).Dispose();
            (await services.GetRequiredService<IHttpClientFactory>().CreateClient("any").GetAsync(server.Url("/named"))).Dispose();
            (await TracedClient.Default.GetAsync(server.Url("/default"))).Dispose();
        });

        Assert.Equal(
            ["/typed req-1", "/named req-1", "/default req-1"],
            server.Received.Select(r => $"{r.Path} {r.Headers.GetValueOrDefault("x-correlation-id")}"));
    }

    [Fact]
    public async Task A_header_set_by_the_caller_is_kept_and_calls_outside_a_request_carry_none()
    {
        using var server = new LoopbackServer();
        var client = TracedClient.Default;

        await ServeRequestAsync("x-request-id", "from-request", async () =>
        {
            using var explicitHeader = new HttpRequestMessage(HttpMethod.Get, server.Url("/explicit"));
            explicitHeader.Headers.Add("x-request-id", "set-by-caller");
            (await client.ExecuteAsync(explicitHeader)).Dispose();
        });
        (await client.GetAsync(server.Url("/outside"))).Dispose();

        Assert.Equal(
            ["/explicit set-by-caller", "/outside -"],
            server.Received.Select(r => $"{r.Path} {r.Headers.GetValueOrDefault("x-request-id") ?? "-"}"));
    }

    /// <summary>Runs <paramref name="work"/> as the host runs a request: with the id set in an async method around it.</summary>
    private static async Task ServeRequestAsync(string header, string id, Func<Task> work)
    {
        RequestIdForwarding.Set(header, id);
        await work();
    }
}
