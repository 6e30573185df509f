using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Batches sampled spans into a bounded queue and exports them from one background thread. It counts every span
/// it accepts, exports, or drops (queue full, a batch the backend refused after bounded retries, or spans still
/// queued or being sent when shutdown runs out of time) so that the server can say how many spans it lost, which
/// the SDK's own batch processor keeps to itself. The request path does one lock-free enqueue per sampled span.
/// </summary>
public sealed class BoundedBatchExportProcessor : BaseExportProcessor<Activity>
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(1000)];

    private readonly ExportStatistics _statistics;
    private readonly Action<bool, int> _onExportResult;
    private readonly int _maxQueueSize;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _scheduledDelay;
    private readonly ConcurrentQueue<Activity> _queue = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly ManualResetEventSlim _stopping = new(false);
    private readonly Thread _thread;
    private readonly Activity[] _batch;
    private int _count;
    private long _handled;
    private long _accepted;
    private long _drainUntil = -1;

    /// <summary>Guards the accounting of a batch against the shutdown that gives up on it (<see cref="_closed"/>).</summary>
    private readonly Lock _accounting = new();

    /// <summary>
    /// Set when shutdown ran out of time: every span accepted but not yet accounted for has been counted as dropped,
    /// so a batch that is still being sent is not counted again when it ends, and nothing new is accepted.
    /// </summary>
    private volatile bool _closed;

    /// <param name="onExportResult">Told after every batch whether it was delivered, and how many spans it held.</param>
    public BoundedBatchExportProcessor(
        BaseExporter<Activity> exporter,
        ExportStatistics statistics,
        int maxQueueSize,
        int maxBatchSize,
        TimeSpan scheduledDelay,
        Action<bool, int> onExportResult)
        : base(exporter)
    {
        _statistics = statistics;
        _maxQueueSize = maxQueueSize;
        _maxBatchSize = Math.Min(maxBatchSize, maxQueueSize);
        _scheduledDelay = scheduledDelay;
        _onExportResult = onExportResult;
        _batch = new Activity[_maxBatchSize];
        _thread = new Thread(ExportLoop) { IsBackground = true, Name = "Hyperspot span export" };
        _thread.Start();
    }

    public override void OnEnd(Activity data)
    {
        if (data.Recorded)
        {
            OnExport(data);
        }
    }

    protected override void OnExport(Activity data)
    {
        if (_closed)
        {
            _statistics.DroppedAtShutdown(1);
            return;
        }

        var count = Interlocked.Increment(ref _count);
        if (count > _maxQueueSize)
        {
            Interlocked.Decrement(ref _count);
            _statistics.DroppedQueueFull();
            return;
        }

        Interlocked.Increment(ref _accepted);
        _queue.Enqueue(data);

        // Exactly one producer sees the count reach a full batch (each increment returns a distinct value), so the
        // export thread is woken once per full batch rather than waiting for the scheduled delay. Reading the count
        // again after the enqueue instead would miss the crossing whenever two requests end at the same time.
        if (count == _maxBatchSize)
        {
            _wake.Set();
        }
    }

    /// <summary>Exports everything accepted so far; true when it all left the queue within the timeout.</summary>
    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        var target = Interlocked.Read(ref _accepted);
        Interlocked.Exchange(ref _drainUntil, target);
        _wake.Set();
        var deadline = ShutdownDeadline.In(timeoutMilliseconds);
        while (Interlocked.Read(ref _handled) < target)
        {
            if (deadline.Remaining <= TimeSpan.Zero || !_thread.IsAlive)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var deadline = ShutdownDeadline.In(timeoutMilliseconds);
        var flushed = OnForceFlush(timeoutMilliseconds);
        _stopping.Set();
        _wake.Set();
        var stopped = _thread.Join(deadline.Wait);
        if (!flushed || !stopped)
        {
            GiveUp();
        }

        return exporter.Shutdown((int)deadline.Wait.TotalMilliseconds) && flushed;
    }

    /// <summary>
    /// Out of time at shutdown: the spans still queued and the batch still being sent will not be delivered before
    /// the process exits, so they are counted as dropped now, once.
    /// </summary>
    private void GiveUp()
    {
        lock (_accounting)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            var lost = Interlocked.Read(ref _accepted) - Interlocked.Read(ref _handled);
            if (lost > 0)
            {
                _statistics.DroppedAtShutdown(lost);
            }
        }
    }

    private void ExportLoop()
    {
        using var suppress = SuppressInstrumentationScope.Begin();
        while (true)
        {
            if (Volatile.Read(ref _count) < _maxBatchSize && Interlocked.Read(ref _handled) >= Interlocked.Read(ref _drainUntil))
            {
                WaitHandle.WaitAny([_wake, _stopping.WaitHandle], _scheduledDelay);
            }

            var exportedAny = false;
            while (!_closed && TryTakeBatch(out var size))
            {
                exportedAny = true;
                Export(size);
                if (Volatile.Read(ref _count) < _maxBatchSize && Interlocked.Read(ref _handled) >= Interlocked.Read(ref _drainUntil))
                {
                    break;
                }
            }

            if (_closed || (_stopping.IsSet && !exportedAny && _queue.IsEmpty))
            {
                return;
            }
        }
    }

    private bool TryTakeBatch(out int size)
    {
        size = 0;
        while (size < _maxBatchSize && _queue.TryDequeue(out var activity))
        {
            _batch[size++] = activity;
        }

        if (size > 0)
        {
            Interlocked.Add(ref _count, -size);
        }

        return size > 0;
    }

    private void Export(int size)
    {
        var result = ExportResult.Failure;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                result = exporter.Export(new Batch<Activity>(_batch, size));
            }
            catch (Exception)
            {
                result = ExportResult.Failure;
            }

            // No retry once shutdown has begun: waiting is cut short, and the batch counts as it stands.
            if (result == ExportResult.Success || attempt >= RetryDelays.Length || _stopping.IsSet || _stopping.Wait(RetryDelays[attempt]))
            {
                break;
            }
        }

        Array.Clear(_batch, 0, size);
        lock (_accounting)
        {
            if (_closed)
            {
                return; // already counted as dropped by the shutdown that gave up on it
            }

            if (result == ExportResult.Success)
            {
                _statistics.Exported(size);
            }
            else
            {
                _statistics.ExportFailed(size);
            }

            Interlocked.Add(ref _handled, size);
        }

        _onExportResult(result == ExportResult.Success, size);
    }
}
