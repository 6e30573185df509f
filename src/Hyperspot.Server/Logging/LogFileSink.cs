using Serilog.Core;
using Serilog.Events;

namespace Hyperspot.Server.Logging;

/// <summary>The log file sink, which on disposal (the server's stop) reports the lost lines not reported yet.</summary>
internal sealed class LogFileSink(ILogEventSink file, LogFileLossReporter losses) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent logEvent) => file.Emit(logEvent);

    public void Dispose()
    {
        (file as IDisposable)?.Dispose();
        losses.Close();
    }
}
