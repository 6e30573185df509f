using Hyperspot.Server.Hosting;
using Hyperspot.Server.Tests.Support;

namespace Hyperspot.Server.Tests.Logging;

/// <summary>ASP.NET Core's own request lines, let through by a category level, in a real host and its log file.</summary>
[Collection(HostCollection.Name)]
public sealed class QueryStringRedactionTests : IDisposable
{
    private readonly TempDirectory _home = new("hyperspot-query-");

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Framework_request_lines_keep_the_query_keys_but_not_their_values(string format)
    {
        var yaml = $"server:\n  home_dir: {_home.Path}\n  port: 0\ntracing:\n  enabled: false\n" +
            $"logging:\n  default:\n    format: {format}\n  Microsoft.AspNetCore.Hosting:\n    file_level: debug\n";
        var app = HyperspotApplication.Build(Config.Read(yaml), Hyperspot.Modules.ShippedModules.All, new HyperspotArguments());
        await app.StartAsync();
        using (var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) })
        {
            await client.GetAsync("/healthz?token=s3cr3t-Q1&page=2");
        }

        await app.StopAsync();
        await app.DisposeAsync(); // flushes the log file

        var log = await File.ReadAllTextAsync(Path.Combine(_home.Path, "logs", "hyperspot.log"));
        Assert.Contains("Request starting", log);
        Assert.Contains("/healthz?token=Redacted&page=Redacted", log);
        Assert.DoesNotContain("s3cr3t-Q1", log);
    }
}
