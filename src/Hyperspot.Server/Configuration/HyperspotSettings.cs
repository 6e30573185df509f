using Hyperspot.Modules.ModuleKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Configuration;

/// <summary>Everything the server was configured with, typed and validated.</summary>
public sealed class HyperspotSettings
{
    public static readonly IReadOnlyList<string> Sections = ["server", "tracing", "metrics", "logging", "modules"];

    public ServerSettings Server { get; init; } = new();

    public TracingSettings Tracing { get; init; } = new();

    public MetricsSettings Metrics { get; init; } = new();

    public LoggingSettings Logging { get; init; } = new();

    public ModulesSettings Modules { get; init; } = new();

    /// <summary>The effective configuration, secrets masked, for <c>--print-config</c>.</summary>
    public EffectiveConfiguration Effective => new(this);

    /// <summary>The layered configuration the settings were read from (a reload reads it again in the same way).</summary>
    public IConfiguration Configuration { get; init; } = new ConfigurationBuilder().Build();

    /// <summary>Binds and validates every section; throws <see cref="ConfigurationException"/> listing every error.</summary>
    /// <param name="verbosity">The console level <c>-v</c> or <c>-vv</c> asked for, if any.</param>
    public static HyperspotSettings Read(IConfigurationRoot root, IReadOnlyCollection<IModule> modules, LogLevel? verbosity = null)
    {
        var binder = new OptionsBinder(root);
        foreach (var (path, message) in root.Providers.OfType<AppVariablesSource.Provider>().SelectMany(p => p.Conflicts))
        {
            binder.Errors.Add(path, message);
        }

        foreach (var (path, message) in root.Providers.OfType<OtelEnvironmentSource.Provider>().SelectMany(p => p.Problems))
        {
            binder.Errors.Add(path, message);
        }

        binder.RejectUnknown("", Sections, "unknown section", "valid sections");
        var server = binder.Bind<ServerSettings>("server");
        var settings = new HyperspotSettings
        {
            Server = server,
            Tracing = binder.Bind<TracingSettings>("tracing"),
            Metrics = binder.Bind<MetricsSettings>("metrics"),
            Logging = binder.Bind<LoggingSettings>("logging").Apply(server, verbosity),
            Modules = ModulesSettings.Read(binder, modules),
            Configuration = root,
        };

        if (binder.Errors.Any)
        {
            throw new ConfigurationException(binder.Errors.All);
        }

        return settings;
    }
}
