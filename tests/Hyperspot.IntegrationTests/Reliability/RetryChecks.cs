using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>
/// What the export attempts recorded by a <see cref="FaultyOtlpEndpoint"/> must look like under bounded retries: at
/// most three attempts per batch, the retries spaced by the back-off (250 ms, then 1000 ms).
/// <para>
/// The endpoint sees the exporter's attempts late, by a varying amount. When it <em>noticed</em> that an attempt
/// ended (received plus <see cref="ExportAttempt.Duration"/>) can be hundreds of milliseconds after the exporter gave
/// up on it: noticing a connection the exporter closed, or a stream it reset, takes a socket event and a thread-pool
/// continuation, which a loaded 2-core machine delays, past the start of the next attempt. So the spacing is measured
/// from start to start: the exporter starts a retry at least the back-off after it gave up on the previous attempt,
/// which it had sent earlier still. Even the start (<see cref="ExportAttempt.Received"/>) is late now and then: at a
/// load average of 26 an attempt was picked up a whole second after it was sent, after the exporter had given up on
/// it, and its retry began 176 ms after it. No bound holds for every single retry, so the back-off is judged on the
/// median of the retries at each step, over several batches, leaving out the attempts that show they were picked up
/// late (see <see cref="BeganInTime"/>).
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
    /// Asserts that no batch was sent more than three times and that, at each retry step, the median time from the start
    /// of the previous attempt to the start of the retry is at least the back-off; with at least
    /// <paramref name="minimumRetries"/> retries measured at each step.
    /// </summary>
    public static void AssertBoundedAndSpaced(IReadOnlyList<List<ExportAttempt>> batches, string protocol, int minimumRetries)
    {
        var gaps = Backoff.Select(_ => new List<TimeSpan>()).ToArray();
        foreach (var batch in batches)
        {
            Assert.True(batch.Count <= MaxAttemptsPerBatch, $"{protocol}: one batch was sent {batch.Count} times: {Describe(batch)}");
            for (var i = 1; i < batch.Count; i++)
            {
                if (BeganInTime(batch[i - 1]))
                {
                    gaps[i - 1].Add(batch[i].Received - batch[i - 1].Received);
                }
            }
        }

        for (var step = 0; step < Backoff.Length; step++)
        {
            var shown = $"{protocol}: retry {step + 1} began {string.Join(", ", gaps[step].Select(g => g.TotalMilliseconds.ToString("0")))} ms after the attempt before it " +
                $"(back-off {Backoff[step].TotalMilliseconds:0} ms); batches: {string.Join(" | ", batches.Select(Describe))}";
            Assert.True(gaps[step].Count >= minimumRetries, $"too few retries measured: {shown}");
            Assert.True(Median(gaps[step]) >= Backoff[step] - Granularity, shown);
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> batches of <paramref name="protocol"/> went through all their attempts, each
    /// retry measurable (see <see cref="BeganInTime"/>), and returns the batches then.
    /// </summary>
    public static async Task<List<List<ExportAttempt>>> WaitForRetriedBatchesAsync(FaultyOtlpEndpoint endpoint, string protocol, int count, TimeSpan timeout)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var batches = ByBatch(endpoint.Attempts, protocol);
            if (batches.Count(b => b.Count == MaxAttemptsPerBatch && b.Take(MaxAttemptsPerBatch - 1).All(BeganInTime)) >= count)
            {
                return batches;
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"{protocol}: fewer than {count} batches went through {MaxAttemptsPerBatch} measurable attempts within {timeout}; batches: " +
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

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    public static string Describe(IEnumerable<ExportAttempt> batch) =>
        string.Join("; ", batch.Select(a =>
            $"{a.Received:HH:mm:ss.fff} +{a.Duration.TotalMilliseconds:0} ms {(a.BodyLength == 0 ? "no body" : a.BodyHash[..8])} {a.Answer ?? "given up"}"));
}
