using Serilog.Core;
using Serilog.Events;

namespace Hyperspot.Server.Tests.Support;

/// <summary>A Serilog sink that keeps every event it is given (thread-safe), for asserting what was logged.</summary>
public sealed class CollectingSink : ILogEventSink
{
    private readonly List<LogEvent> _events = [];

    public IReadOnlyList<LogEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_events)
        {
            _events.Add(logEvent);
        }
    }
}
