using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hyperspot.Docs.Tests.Support;

/// <summary>Records every span of the named ActivitySources that ends while it is alive.</summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanRecorder(params string[] sourceNames)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => sourceNames.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    public Activity Single(string name)
    {
        var spans = Stopped.Where(a => a.OperationName == name).ToList();
        Assert.True(spans.Count == 1, $"expected one '{name}' span, got {spans.Count}");
        return spans[0];
    }

    public void Dispose() => _listener.Dispose();
}
