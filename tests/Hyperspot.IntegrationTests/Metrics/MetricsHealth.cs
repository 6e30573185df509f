using System.Diagnostics;
using System.Text.Json;

namespace Hyperspot.IntegrationTests.Metrics;

/// <summary>The <c>metrics</c> block of <c>/health</c>; null when the server has none (metrics off).</summary>
internal sealed record MetricsHealth(long PointsExported, long BatchesExported, long ExportFailures)
{
    public static async Task<MetricsHealth?> ReadAsync(HttpClient client)
    {
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        return health.RootElement.TryGetProperty("metrics", out var metrics)
            ? new MetricsHealth(
                metrics.GetProperty("points_exported").GetInt64(),
                metrics.GetProperty("batches_exported").GetInt64(),
                metrics.GetProperty("export_failures").GetInt64())
            : null;
    }

    /// <summary>Polls <c>/health</c> until its metrics block satisfies <paramref name="until"/>; throws with the last one when it never does.</summary>
    public static async Task<MetricsHealth> WaitAsync(HttpClient client, Func<MetricsHealth, bool> until, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var health = await ReadAsync(client) ?? throw new InvalidOperationException("/health has no metrics block");
            if (until(health))
            {
                return health;
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"/health's metrics block never reached the expected counts within {timeout}; last: {health}.");
            }

            await Task.Delay(100);
        }
    }
}
