using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>What a module is given when it registers its services.</summary>
public sealed class ModuleServicesContext(
    string name,
    IServiceCollection services,
    IConfiguration configuration,
    object? options,
    ActivitySource activitySource)
{
    public string Name { get; } = name;

    public IServiceCollection Services { get; } = services;

    /// <summary>The module's <c>modules.&lt;name&gt;.config</c> section.</summary>
    public IConfiguration Configuration { get; } = configuration;

    /// <summary>
    /// The module's own ActivitySource. The host's tracer provider listens to it when <c>tracing.enabled</c> is true;
    /// otherwise <c>StartActivity</c> returns null (the <see cref="SpanOutcome"/> helpers accept that).
    /// </summary>
    public ActivitySource ActivitySource { get; } = activitySource;

    /// <summary>The bound and validated options of <see cref="IModule.OptionsType"/>.</summary>
    public TOptions GetOptions<TOptions>() where TOptions : class =>
        options as TOptions ?? throw new InvalidOperationException($"Module '{Name}' has no options of type {typeof(TOptions).Name}.");
}
