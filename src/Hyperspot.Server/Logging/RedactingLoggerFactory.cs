using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Wraps the logger factory every framework and module logger comes from, so that an exception logged with a secret
/// in its text reaches the sinks (console, file, OTLP log records) as a <see cref="RedactedException"/>. Serilog lets
/// enrichers change an event's values but not its exception, so this is done before the event is built. Values and
/// messages are masked by <see cref="QueryStringRedactionEnricher"/>.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <summary>Replaces the last <see cref="ILoggerFactory"/> registration (Serilog's) with this wrapper around it.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory));
        if (registered is null)
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(provider => new RedactingLoggerFactory(registered switch
        {
            { ImplementationInstance: ILoggerFactory instance } => instance,
            { ImplementationFactory: { } create } => (ILoggerFactory)create(provider),
            _ => (ILoggerFactory)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!),
        }));
    }

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception is null || !inner.IsEnabled(logLevel) ? exception : RedactedException.From(exception), formatter);
    }
}
