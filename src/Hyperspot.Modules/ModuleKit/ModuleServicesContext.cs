using Microsoft.Extensions.DependencyInjection;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// What a module is given when it registers its services. The host has already registered, for every enabled module,
/// its <see cref="ModuleTelemetry{TModule}"/> and, for an <see cref="IModule{TOptions}"/>, its bound
/// <c>IOptions&lt;TOptions&gt;</c>; services registered here can take either in their constructor.
/// </summary>
public sealed class ModuleServicesContext(string name, IServiceCollection services)
{
    public string Name { get; } = name;

    public IServiceCollection Services { get; } = services;
}
