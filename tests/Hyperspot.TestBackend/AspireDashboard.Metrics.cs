using System.Runtime.CompilerServices;

namespace Hyperspot.TestBackend;

/// <summary>
/// Metric queries. The dashboard's <c>/api/telemetry</c> API serves spans and logs but not metrics; what its Metrics
/// page shows is read from the database it keeps them in (SQLite, under its own temporary directory), read-only.
/// </summary>
public sealed partial class AspireDashboard
{
    /// <summary>Every instrument the dashboard holds, with its series (one per set of attributes) and their exemplars.</summary>
    public Task<IReadOnlyList<ReceivedInstrument>> GetMetricsAsync(CancellationToken ct = default) =>
        Task.Run(() => DashboardMetricsStore.Read(_dataDirectory), ct);

    /// <summary>Polls <see cref="GetMetricsAsync"/> every 100 ms until <paramref name="until"/> holds and returns that list.</summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; lists what was received.</exception>
    public Task<IReadOnlyList<ReceivedInstrument>> WaitForMetricsAsync(
        Func<IReadOnlyList<ReceivedInstrument>, bool> until,
        TimeSpan timeout,
        CancellationToken ct = default,
        [CallerArgumentExpression(nameof(until))] string? condition = null)
    {
        ArgumentNullException.ThrowIfNull(until);
        return PollAsync(GetMetricsAsync, until, timeout, $"metrics matching {condition}", fetchForReport: null, ct);
    }

    private void DeleteDataDirectory()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind in the temporary directory; nothing depends on it.
        }
    }
}
