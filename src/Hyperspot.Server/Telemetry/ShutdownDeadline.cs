namespace Hyperspot.Server.Telemetry;

/// <summary>
/// The end of a flush or shutdown given as the OpenTelemetry SDK gives it: milliseconds from now, or
/// <see cref="Timeout.Infinite"/> for no end.
/// </summary>
internal readonly struct ShutdownDeadline
{
    /// <summary>How long an unbounded wait for a thread or an exporter is allowed to last all the same.</summary>
    private static readonly TimeSpan UnboundedWait = TimeSpan.FromSeconds(30);

    private readonly DateTime _end;

    private ShutdownDeadline(DateTime end) => _end = end;

    public static ShutdownDeadline In(int timeoutMilliseconds) =>
        new(timeoutMilliseconds == Timeout.Infinite ? DateTime.MaxValue : DateTime.UtcNow.AddMilliseconds(timeoutMilliseconds));

    /// <summary>The time left, negative once passed, or <see cref="Timeout.InfiniteTimeSpan"/> without a deadline.</summary>
    public TimeSpan Remaining => _end == DateTime.MaxValue ? Timeout.InfiniteTimeSpan : _end - DateTime.UtcNow;

    /// <summary>The time left to wait for a thread or an exporter: zero once passed, <see cref="UnboundedWait"/> without a deadline.</summary>
    public TimeSpan Wait => Remaining is var left && left == Timeout.InfiniteTimeSpan ? UnboundedWait : left < TimeSpan.Zero ? TimeSpan.Zero : left;
}
