using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>
/// What the export attempts recorded by a <see cref="FaultyOtlpEndpoint"/> must look like under bounded retries: at
/// most three attempts per batch, the retries spaced by the back-off (250 ms, then 1000 ms).
/// <para>
/// Only what the endpoint can observe reliably is judged. When an attempt <em>began</em> (<see cref="ExportAttempt.Received"/>)
/// is at or after the moment the exporter sent it; when the endpoint <em>noticed</em> that an attempt ended (received
/// plus <see cref="ExportAttempt.Duration"/>) may be much later than when the exporter gave up on it: noticing a
/// connection the exporter closed, or a stream it reset, takes a socket event and a thread-pool continuation, which a
/// loaded 2-core machine can delay by hundreds of milliseconds, past the start of the next attempt. So the spacing of
/// retries is measured from start to start. The exporter starts a retry at least the back-off after it gave up on the
/// previous attempt, and it gave up after that attempt had begun; so the retry begins at least the back-off after the
/// previous attempt began, however late the endpoint noticed either end.
/// </para>
/// </summary>
internal static class RetryChecks
{
    /// <summary>First try + 2 retries (BoundedBatchExportProcessor waits 250 ms, then 1000 ms).</summary>
    public const int MaxAttemptsPerBatch = 3;

    public static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(1000)];

    /// <summary>Timer and clock granularity: a wait of 250 ms may be measured a few milliseconds short.</summary>
    private static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// An attempt the exporter gave up on this soon after the endpoint began handling it was picked up late (the
    /// exporter had already given up, or was about to): when it began says nothing about when it was sent.
    /// </summary>
    private static readonly TimeSpan PickedUpLate = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Groups the attempts of one protocol by batch, in the order they began. A retried batch is the same bytes, so
    /// attempts with a body group by its hash. An attempt whose body never arrived (the exporter gave up before the
    /// endpoint read it) cannot be told apart by its bytes: the exporter sends one batch at a time, so it belongs to
    /// the batch sent just before it or the one just after it; it is given to the one before when that batch has
    /// room for another attempt (it was that batch's last retry), else to the one after (its first attempt).
    /// </summary>
    public static List<List<ExportAttempt>> ByBatch(IEnumerable<ExportAttempt> attempts, string protocol)
    {
        var ordered = attempts.Where(a => a.Protocol == protocol).OrderBy(a => a.Received).ToList();
        var byHash = new Dictionary<string, List<ExportAttempt>>();
        var batches = new List<List<ExportAttempt>>();
        foreach (var attempt in ordered.Where(a => !IsBodiless(a)))
        {
            if (!byHash.TryGetValue(attempt.BodyHash, out var batch))
            {
                byHash[attempt.BodyHash] = batch = [];
                batches.Add(batch);
            }

            batch.Add(attempt);
        }

        foreach (var bodiless in ordered.Where(IsBodiless))
        {
            var before = ordered.LastOrDefault(a => !IsBodiless(a) && a.Received <= bodiless.Received) is { } b ? byHash[b.BodyHash] : null;
            var after = ordered.FirstOrDefault(a => !IsBodiless(a) && a.Received > bodiless.Received) is { } n ? byHash[n.BodyHash] : null;
            var target = before is { Count: < MaxAttemptsPerBatch } ? before : after ?? before;
            if (target is null)
            {
                batches.Add(target = []);
            }

            target.Add(bodiless);
            target.Sort((x, y) => x.Received.CompareTo(y.Received));
        }

        return batches;
    }

    /// <summary>
    /// Asserts that no batch was sent more than three times and that each retry began at least its back-off after the
    /// previous attempt of its batch began. Returns how many retries were checked at each back-off step, so that a
    /// caller can require the check to have had something to judge.
    /// </summary>
    public static int[] AssertBoundedAndSpaced(IReadOnlyList<List<ExportAttempt>> batches, string protocol)
    {
        var checkedRetries = new int[Backoff.Length];
        foreach (var batch in batches)
        {
            Assert.True(batch.Count <= MaxAttemptsPerBatch, $"{protocol}: one batch was sent {batch.Count} times: {Describe(batch)}");
            for (var i = 1; i < batch.Count; i++)
            {
                var previous = batch[i - 1];
                if (!BeganInTime(previous))
                {
                    continue; // picked up late: when the endpoint began handling it is not when it was sent
                }

                var gap = batch[i].Received - previous.Received;
                var least = Backoff[i - 1];
                Assert.True(gap >= least - Granularity, $"{protocol}: retry {i} began {gap.TotalMilliseconds:0} ms after the attempt before it began (back-off {least.TotalMilliseconds:0} ms): {Describe(batch)}");
                checkedRetries[i - 1]++;
            }
        }

        return checkedRetries;
    }

    /// <summary>
    /// Waits until some batch of <paramref name="protocol"/> went through all its attempts, each retry measurable
    /// (see <see cref="BeganInTime"/>), and returns the batches then.
    /// </summary>
    public static async Task<List<List<ExportAttempt>>> WaitForRetriedBatchAsync(FaultyOtlpEndpoint endpoint, string protocol, TimeSpan timeout)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var batches = ByBatch(endpoint.Attempts, protocol);
            if (batches.Any(b => b.Count == MaxAttemptsPerBatch && b.Take(MaxAttemptsPerBatch - 1).All(BeganInTime)))
            {
                return batches;
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"{protocol}: no batch went through {MaxAttemptsPerBatch} measurable attempts within {timeout}; batches: " +
                    string.Join(" | ", batches.Select(Describe)));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// False for an attempt the endpoint picked up late, when the exporter had already given up on it or was about to:
    /// its body never arrived, or the exporter's abort came right after the endpoint began handling it.
    /// </summary>
    public static bool BeganInTime(ExportAttempt attempt) => !IsBodiless(attempt) && !(attempt.ClientAborted && attempt.Duration < PickedUpLate);

    /// <summary>True for an attempt the endpoint saw begin but whose body never arrived.</summary>
    public static bool IsBodiless(ExportAttempt attempt) => attempt.ClientAborted && attempt.BodyLength == 0;

    public static string Describe(IEnumerable<ExportAttempt> batch) =>
        string.Join("; ", batch.Select(a =>
            $"{a.Received:HH:mm:ss.fff} +{a.Duration.TotalMilliseconds:0} ms {(a.BodyLength == 0 ? "no body" : a.BodyHash[..8])} {a.Answer ?? "given up"}"));
}
