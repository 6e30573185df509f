using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hyperspot.Server.Tests.Support;

/// <summary>
/// The real <see cref="Program"/> in memory, configured through WebApplicationFactory's standard hooks only. The
/// factory hands its host settings to <c>Program</c> as <c>--key=value</c> arguments, the command line a user types:
/// <c>UseSetting("config", path)</c> is <c>--config=path</c> (the YAML, written to a temp directory),
/// <c>UseSetting("server:home_dir", ...)</c> is the override <c>--server:home_dir=...</c> (so logs never go to
/// ~/.hyperspot), and the factory's own <c>--environment</c>, <c>--contentRoot</c>, <c>--applicationName</c> are the
/// standard host options. Sources added with <c>ConfigureAppConfiguration</c> join the host's configuration only when
/// it is built, after the server's settings were loaded: settings go through <c>UseSetting</c>.
/// </summary>
public sealed class HyperspotFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _directory = new("hyperspot-host-");
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="yaml">The configuration file's text; null runs without <c>--config</c>. <c>{home}</c> is replaced by <see cref="Home"/>.</param>
    /// <param name="settings">Command-line overrides such as <c>["modules:examples:enabled"] = "false"</c>.</param>
    public HyperspotFactory(string? yaml = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        Home = _directory.Combine("home");
        _settings = settings ?? new Dictionary<string, string>();
        ConfigPath = yaml is null ? null : _directory.Write("config.yaml", yaml.Replace("{home}", Home));
    }

    /// <summary>The server's <c>home_dir</c> (not created beforehand: the host creates it).</summary>
    public string Home { get; }

    public string? ConfigPath { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (ConfigPath is not null)
        {
            builder.UseSetting("config", ConfigPath);
        }

        if (!_settings.ContainsKey("server:home_dir"))
        {
            builder.UseSetting("server:home_dir", Home);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            if (disposing)
            {
                _directory.Dispose();
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            _directory.Dispose();
        }
    }
}
