namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// What a module implements. The host orders modules by <see cref="DependsOn"/>, calls
/// <see cref="ConfigureServices"/> and <see cref="MapEndpoints"/> in that order, starts them in order and
/// stops them in reverse order. A module is configured under <c>modules.&lt;name&gt;</c>:
/// <c>enabled</c> (default true) and <c>config</c>, bound to <see cref="OptionsType"/>.
/// </summary>
public interface IModule
{
    /// <summary>Lower-case name: the config key under <c>modules</c>, the route prefix <c>/&lt;name&gt;/v1</c>, the ActivitySource suffix.</summary>
    string Name { get; }

    /// <summary>Names of the modules that must be configured and started before this one.</summary>
    IReadOnlyList<string> DependsOn => [];

    /// <summary>
    /// The type <c>modules.&lt;name&gt;.config</c> is bound to (a class with a public parameterless constructor holding the defaults);
    /// null when the module takes no configuration. DataAnnotations attributes and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> validate it.
    /// </summary>
    Type? OptionsType => null;

    /// <summary>Registers what the module needs; its options are already bound and registered as a singleton.</summary>
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
