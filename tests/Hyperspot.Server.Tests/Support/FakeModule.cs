using Hyperspot.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Support;

/// <summary>
/// A module for tests: a name, dependencies, optional typed options, an endpoint <c>GET /&lt;name&gt;/v1/ping</c>,
/// and start/stop behaviour chosen by the test. Starts and stops are written to a shared <see cref="Journal"/>.
/// </summary>
public sealed class FakeModule(string name, params string[] dependsOn) : IModule
{
    public string Name => name;

    public IReadOnlyList<string> DependsOn => dependsOn;

    public Type? OptionsType { get; init; }

    public ModuleJournal Journal { get; init; } = new();

    /// <summary>Runs when the module starts (after the journal entry); throw to make the start fail.</summary>
    public Func<CancellationToken, Task> OnStart { get; init; } = _ => Task.CompletedTask;

    /// <summary>Runs when the module stops (after the journal entry); throw, or never finish, to misbehave.</summary>
    public Func<CancellationToken, Task> OnStop { get; init; } = _ => Task.CompletedTask;

    public void MapEndpoints(ModuleEndpointContext context) =>
        context.Api.MapGet("/ping", (IServiceProvider services) =>
            OptionsType is null
                ? Results.Text($"pong from {name}")
                : Results.Json(((IOptions<object>)services.GetRequiredService(typeof(IOptions<>).MakeGenericType(OptionsType))).Value));

    public Task StartAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        Journal.Add($"start {name}");
        return OnStart(cancellationToken);
    }

    public Task StopAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        Journal.Add($"stop {name}");
        return OnStop(cancellationToken);
    }

    /// <summary>A stop that never finishes and ignores cancellation, like a module stuck on a dead connection.</summary>
    public static Task Hang(CancellationToken _) => new TaskCompletionSource().Task;
}

/// <summary>What the fake modules did, in order; shared by the modules of one test.</summary>
public sealed class ModuleJournal
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries { get { lock (_entries) { return [.. _entries]; } } }

    public void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }
}
