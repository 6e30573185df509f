using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Wraps the logger factory every framework and module logger comes from, so that an exception logged with a secret
/// in its text reaches the sinks (console, file, OTLP log records) as a <see cref="RedactedException"/>. Serilog lets
/// enrichers change an event's values but not its exception, so this is done before the event is built. Values and
/// messages are masked by <see cref="QueryStringRedactionEnricher"/>. Its loggers also skip an event below its
/// category's current level (<see cref="LiveLogLevels"/>) before the event is built.
/// <para>
/// Loggers are created once per category, as the framework's own factory does: ASP.NET Core's results
/// (<c>Results.Json</c>, <c>Results.Problem</c>, ...) ask the factory for a logger on every request, and Serilog's
/// factory builds a new one each time (about 700 bytes per request on the trivial JSON route).
/// </para>
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner, LiveLogLevels? levels = null) : ILoggerFactory
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
        services.AddSingleton<ILoggerFactory>(provider => new RedactingLoggerFactory(
            registered switch
            {
                { ImplementationInstance: ILoggerFactory instance } => instance,
                { ImplementationFactory: { } create } => (ILoggerFactory)create(provider),
                _ => (ILoggerFactory)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!),
            },
            provider.GetService<LiveLogLevels>()));
    }

    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, self) => self.Build(name), this);

    private RedactingLogger Build(string categoryName) => new(inner.CreateLogger(categoryName), categoryName, levels);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, string category, LiveLogLevels? levels) : ILogger
    {
        /// <summary>The category's level under the levels last seen; replaced when the levels are.</summary>
        private volatile Tuple<LogLevelSnapshot, LogEventLevel>? _gate;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => Passes(logLevel) && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Passes(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception is null || !inner.IsEnabled(logLevel) ? exception : RedactedException.From(exception), formatter);
            }
        }

        private bool Passes(LogLevel logLevel)
        {
            if (levels is null)
            {
                return true;
            }

            var current = levels.Current;
            var gate = _gate;
            if (gate is null || !ReferenceEquals(gate.Item1, current))
            {
                gate = Tuple.Create(current, current.Gate(category));
                _gate = gate;
            }

            return logLevel != LogLevel.None && CategoryLevels.ToSerilog(logLevel) >= gate.Item2;
        }
    }
}
