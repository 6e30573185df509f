using Hyperspot.Server.Hosting;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Hyperspot.Server.Tests.Host;

public sealed class ContentRootWatchTests : IDisposable
{
    private readonly TempDirectory _root = new("hyperspot-content-root-");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_working_directory_is_not_watched_for_the_hosts_json_files()
    {
        // A log directory below the content root: with the host's appsettings*.json watched, ASP.NET Core watches the
        // content root recursively and wakes on every write in it.
        File.WriteAllText(Path.Combine(_root.Path, "appsettings.json"), "{}");
        var yaml = $"server:\n  home_dir: {_root.Path}\n  port: 0\ntracing:\n  enabled: false\n";
        await using var app = HyperspotApplication.Build(Config.Read(yaml), [], new HyperspotArguments { ContentRootPath = _root.Path });

        var json = ((IConfigurationRoot)app.Configuration).Providers.OfType<JsonConfigurationProvider>().ToList();

        Assert.Contains(json, provider => provider.Source.Path == "appsettings.json");
        Assert.All(json, provider => Assert.False(provider.Source.ReloadOnChange, provider.Source.Path));
    }
}
