namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// What a module implements (a module with configuration implements <see cref="IModule{TOptions}"/>). The host orders
/// modules by <see cref="DependsOn"/>, calls <see cref="ConfigureServices"/> and <see cref="MapEndpoints"/> in that
/// order, starts them in order and stops them in reverse order. A module is configured under
/// <c>modules.&lt;name&gt;</c>: <c>enabled</c> (default true) and, for an <see cref="IModule{TOptions}"/>, <c>config</c>.
/// Its ActivitySource is <see cref="ModuleTelemetry{TModule}.Source"/>.
/// </summary>
public interface IModule
{
    /// <summary>Lower-case name: the config key under <c>modules</c>, the route prefix <c>/&lt;name&gt;/v1</c>, the ActivitySource suffix.</summary>
    string Name { get; }

    /// <summary>Names of the modules that must be configured and started before this one.</summary>
    IReadOnlyList<string> DependsOn => [];

    /// <summary>
    /// For the host: the type <c>modules.&lt;name&gt;.config</c> is bound to, the <c>TOptions</c> of
    /// <see cref="IModule{TOptions}"/>; null for a module without configuration. Modules declare
    /// <see cref="IModule{TOptions}"/> instead of implementing this.
    /// Validated by DataAnnotations attributes and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>.
    /// </summary>
    Type? OptionsType => null;

    /// <summary>Registers what the module needs in <see cref="ModuleServicesContext.Services"/>.</summary>
    void ConfigureServices(ModuleServicesContext context)
    {
    }

    /// <summary>Maps the module's endpoints; use <see cref="ModuleEndpointContext.Api"/> for <c>/&lt;name&gt;/v1</c>.</summary>
    void MapEndpoints(ModuleEndpointContext context)
    {
    }

    Task StartAsync(IServiceProvider services, CancellationToken cancellationToken) => Task.CompletedTask;

    Task StopAsync(IServiceProvider services, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// A module configured under <c>modules.&lt;name&gt;.config</c>, bound to <typeparamref name="TOptions"/> (a class
/// whose new instance holds the defaults; <c>[ConfigurationKeyName("snake_case")]</c> names its keys). The host
/// registers the bound, validated options as <c>IOptions&lt;TOptions&gt;</c>: inject that into endpoints and services.
/// </summary>
public interface IModule<TOptions> : IModule
    where TOptions : class, new()
{
    Type? IModule.OptionsType => typeof(TOptions);
}
