using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>Request latency of servers measured side by side: requests alternate between them so both see the same machine load.</summary>
internal static class Latency
{
    /// <summary>Sends <paramref name="rounds"/> rounds of one GET to each client in turn and returns the durations per client.</summary>
    public static async Task<List<TimeSpan>[]> InterleavedAsync(int rounds, string path, params HttpClient[] clients)
    {
        var samples = clients.Select(_ => new List<TimeSpan>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < clients.Length; i++)
            {
                // Rotate who goes first so that neither side always pays for the other's warm caches.
                var index = (i + round) % clients.Length;
                samples[index].Add(await ServerProbe.TimedGetAsync(clients[index], path));
            }
        }

        return samples;
    }

    /// <summary>
    /// Asserts that <paramref name="traced"/> is not slower than <paramref name="baseline"/> beyond a generous margin
    /// (median within 3x + 5 ms, 90th percentile within 3x + 25 ms) and that requests did not wait for exports: a
    /// request held by an export would take at least <paramref name="exportStall"/>, the time one export attempt can
    /// block, and at most one traced request more than in the baseline may take that long (a shared 2-core machine
    /// has the odd pause). Returns the figures.
    /// The tail is judged at the 90th percentile, not the 95th: with 30 samples a side the 95th is the second-slowest
    /// request, so two scheduler pauses (a test project compiling next to this one) decide it; the 90th needs four.
    /// </summary>
    public static string AssertUnaffected(string what, IReadOnlyCollection<TimeSpan> baseline, IReadOnlyCollection<TimeSpan> traced, TimeSpan exportStall)
    {
        var baseMedian = ServerProbe.Percentile(baseline, 50);
        var baseP90 = ServerProbe.Percentile(baseline, 90);
        var median = ServerProbe.Percentile(traced, 50);
        var p90 = ServerProbe.Percentile(traced, 90);
        var stalled = traced.Count(t => t >= exportStall);
        var baseStalled = baseline.Count(t => t >= exportStall);
        var summary = $"{what}: median {median.TotalMilliseconds:0.0} ms (baseline {baseMedian.TotalMilliseconds:0.0}), " +
            $"p90 {p90.TotalMilliseconds:0.0} ms (baseline {baseP90.TotalMilliseconds:0.0}), max {traced.Max().TotalMilliseconds:0.0} ms " +
            $"(baseline {baseline.Max().TotalMilliseconds:0.0}), {stalled} of {traced.Count} at or over {exportStall.TotalMilliseconds:0} ms (baseline {baseStalled})";
        Assert.True(median <= baseMedian * 3 + TimeSpan.FromMilliseconds(5), summary);
        Assert.True(p90 <= baseP90 * 3 + TimeSpan.FromMilliseconds(25), summary);
        Assert.True(stalled <= baseStalled + 1, summary);
        return summary;
    }
}
