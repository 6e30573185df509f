using Hyperspot.Modules;
using Hyperspot.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Docs.Tests.Support;

/// <summary>The real server (the same builder the command line uses) on a free port, in a temporary home directory.</summary>
public sealed class DocHost : IAsyncDisposable
{
    private readonly string _home;

    private DocHost(WebApplication app, string home)
    {
        App = app;
        _home = home;
        Client = new HttpClient { BaseAddress = app.Urls.Count > 0 ? new Uri(app.Urls.First()) : null };
    }

    public WebApplication App { get; }

    /// <summary>A client for the server's address (no address when the host was not started).</summary>
    public HttpClient Client { get; }

    /// <summary>Builds the host from <paramref name="yaml"/> and the shipped modules plus <paramref name="extra"/>; starts it unless told not to.</summary>
    public static async Task<DocHost> StartAsync(string yaml, IReadOnlyList<IModule> extra, bool start = true)
    {
        var home = Path.Combine(Path.GetTempPath(), $"hyperspot-docs-home-{Guid.NewGuid():N}");
        IReadOnlyList<IModule> modules = [.. ShippedModules.All, .. extra];
        var settings = DocConfig.LoadYaml(
            yaml,
            commandLine:
            [
                new("server:home_dir", home),
                new("server:port", "0"),
                new("logging:default:console_level", "off"),
            ],
            modules: modules);
        var app = HyperspotApplication.Build(settings, modules, new HyperspotArguments());
        if (start)
        {
            await app.StartAsync();
        }

        return new DocHost(app, home);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
