using Serilog.Core;
using Serilog.Events;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Says on stderr that log file lines are being lost (a full disk, a file system gone read-only) and when writing
/// resumes, without ever stopping the server. A loss warning is printed at once, then at most once per
/// <see cref="Interval"/>, each with the lines lost since the previous report and in all; once a warning was printed,
/// the first block written again is reported at once; losses no report has covered yet are reported with the next
/// report, at the latest when the server stops. So stderr gets at most two lines per interval, even from a disk
/// whose last free bytes take a small block now and then. The lines are counted by <see cref="LogFileWriteStream"/>
/// (blocks the file system refused) and, as the file sink's failure listener, from the events the sink could not
/// write at all (a file it could not open).
/// </summary>
public sealed class LogFileLossReporter(string path, TextWriter? error = null, TimeProvider? time = null) : ILoggingFailureListener
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly TextWriter _error = error ?? Console.Error;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly string _path = ControlCharacters.Escape(path);
    private readonly Lock _lock = new();
    private long _unreported;
    private long _lostInAll;
    private string _reason = "";
    private DateTimeOffset? _lastWarning;
    private bool _announced;

    /// <summary>Lines lost in all since the server started.</summary>
    public long LinesLost
    {
        get
        {
            lock (_lock)
            {
                return _lostInAll;
            }
        }
    }

    /// <summary><paramref name="lines"/> lines could not be written because of <paramref name="cause"/>.</summary>
    public void Lost(long lines, Exception? cause)
    {
        if (lines <= 0)
        {
            return;
        }

        lock (_lock)
        {
            _unreported += lines;
            _lostInAll += lines;
            _reason = cause is null ? _reason : ControlCharacters.Escape(WithoutPath(cause.Message));
            if (MayWarn())
            {
                Report(_announced
                    ? $"warning: still cannot write the log file {_path}{Reason}: {_unreported} more lines lost ({_lostInAll} in all)"
                    : $"warning: cannot write the log file {_path}{Reason}: {_unreported} lines lost ({_lostInAll} in all); writing is retried, and this is reported at most every {Interval.TotalSeconds:0} s");
                _announced = true;
                _lastWarning = _time.GetUtcNow();
            }
        }
    }

    /// <summary>A block reached the file: after lost lines, says that writing has resumed.</summary>
    public void Written()
    {
        if (!Volatile.Read(ref _announced) && Interlocked.Read(ref _unreported) == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_announced)
            {
                Report(_unreported > 0
                    ? $"info: the log file {_path} is written again, after {_unreported} more lines were lost ({_lostInAll} in all)"
                    : $"info: the log file {_path} is written again ({_lostInAll} lines lost in all)");
                _announced = false;
            }
            else if (_unreported > 0 && MayWarn())
            {
                Report($"info: the log file {_path} is written again, after {_unreported} more lines were lost{Reason} ({_lostInAll} in all)");
                _lastWarning = _time.GetUtcNow();
            }
        }
    }

    /// <summary>At stop: the losses not reported yet.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_unreported > 0)
            {
                Report($"warning: lines could not be written to the log file {_path} before the server stopped{Reason}: {_unreported} more lines lost ({_lostInAll} in all)");
            }
        }
    }

    void ILoggingFailureListener.OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
    {
        // Failures without events (a periodic flush that failed) lose nothing the write stream has not counted.
        if (events is { Count: > 0 })
        {
            Lost(events.Count, exception ?? new IOException(message));
        }
    }

    /// <summary>"No space left on device : '/path/file.log'" without the path, which the report names already.</summary>
    private static string WithoutPath(string message)
    {
        var at = message.LastIndexOf(" : '", StringComparison.Ordinal);
        return at > 0 && message.EndsWith('\'') ? message[..at] : message;
    }

    private string Reason => _reason.Length > 0 ? $" ({_reason})" : "";

    private bool MayWarn() => _lastWarning is not { } last || _time.GetUtcNow() - last >= Interval;

    /// <summary>Prints a report; every report covers the lines lost until then.</summary>
    private void Report(string line)
    {
        _unreported = 0;
        try
        {
            _error.WriteLine(line);
            _error.Flush();
        }
        catch (IOException)
        {
            // stderr is gone too: nothing else can be told.
        }
    }
}
