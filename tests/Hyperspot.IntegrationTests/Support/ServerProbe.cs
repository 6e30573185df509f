using System.Diagnostics;
using System.Text.Json;

namespace Hyperspot.IntegrationTests.Support;

/// <summary>The span counts <c>GET /health</c> reports.</summary>
public sealed record SpanCounts(long Exported, long Dropped)
{
    public long Settled => Exported + Dropped;
}

/// <summary>What the tests read from a running server besides its answers: span counts, resident memory, request latency.</summary>
public static class ServerProbe
{
    public static async Task<SpanCounts> SpanCountsAsync(HttpClient client)
    {
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        var tracing = health.RootElement.GetProperty("tracing");
        return new SpanCounts(tracing.GetProperty("spans_exported").GetInt64(), tracing.GetProperty("spans_dropped").GetInt64());
    }

    /// <summary>Polls <c>/health</c> until <paramref name="until"/> holds; throws with the last counts when it never does.</summary>
    public static async Task<SpanCounts> WaitForSpanCountsAsync(HttpClient client, Func<SpanCounts, bool> until, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var counts = await SpanCountsAsync(client);
            if (until(counts))
            {
                return counts;
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"/health never reached the expected span counts within {timeout}; last: {counts}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>VmRSS of a process from <c>/proc/&lt;pid&gt;/status</c>, in bytes.</summary>
    public static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                return kilobytes * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no VmRSS line.");
    }

    /// <summary>Sends one GET and returns how long it took until the whole response was read; the status must be <paramref name="expected"/>.</summary>
    public static async Task<TimeSpan> TimedGetAsync(HttpClient client, string path, int expected = 200)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        Assert.Equal(expected, (int)response.StatusCode);
        return watch.Elapsed;
    }

    public static TimeSpan Percentile(IReadOnlyCollection<TimeSpan> samples, double percentile)
    {
        var sorted = samples.OrderBy(s => s).ToList();
        var index = (int)Math.Clamp(Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1);
        return sorted[index];
    }
}
